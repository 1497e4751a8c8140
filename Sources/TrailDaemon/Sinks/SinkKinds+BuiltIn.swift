package import TrailDelivery

extension SinkKinds {
    /// The kinds of sink the daemon has itself: stdout. The executable adds the others.
    package static let builtIn = SinkKinds([StdoutSection.Written.self])
}
