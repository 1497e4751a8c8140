import TrailReader

/// What `replay` reads: named files it can open (more than once: an alarm's tipping record may
/// be read again), local or in S3. Names are what alerts and errors call them, and their order is
/// the output's.
protocol ReplayInput: Sendable {
    var names: [String] { get }
    /// Opens the file at `index` to be read from its start.
    func open(_ index: Int) throws(ReaderError) -> any ByteSource
    /// The reader is done with a source `open` gave (whole or not).
    func close(_ source: any ByteSource)
}

/// Files on disk.
struct LocalReplayInput: ReplayInput {
    let names: [String]

    func open(_ index: Int) throws(ReaderError) -> any ByteSource { try InputFile.open(names[index]) }

    func close(_ source: any ByteSource) {}
}
