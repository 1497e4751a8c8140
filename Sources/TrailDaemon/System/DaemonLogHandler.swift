package import Logging

#if canImport(Glibc)
    import Glibc
    // timespec's and timeval's fields are declared in SwiftOverlayShims: a release build with
    // MemberImportVisibility asks for it by name since TrailDaemon imports TrailEngine and
    // TrailDelivery (a debug build does not).
    import SwiftOverlayShims
#elseif canImport(Darwin)
    import Darwin
#endif

/// The daemon's swift-log handler: one line per message, as text, JSON or journald-ready text.
///
/// Lines go to a ``LogSink`` (standard error unless a test injects a collector). Metadata is
/// printed sorted by key so the same event always reads the same way. `.auto` is resolved once,
/// when the handler is made: stderr does not move between the journal and a terminal at run time.
///
/// Building a handler does not touch `LoggingSystem`: the executable decides whether to bootstrap
/// (``factory(level:format:sink:)``) or pass loggers made by ``makeLogger(label:level:format:sink:)``.
package struct DaemonLogHandler: LogHandler {
    /// The logger's label (`trailhound`, `trailhound.spool`), printed by `.text` and `.json`.
    package let label: String
    /// The concrete format lines are written in (never `.auto`).
    package let format: LogFormat
    /// The least severe level written; `Logger` filters before calling the handler.
    package var logLevel: Logger.Level
    /// Metadata attached to every line from this handler.
    package var metadata: Logger.Metadata
    /// Contextual metadata (for example task-local) merged into every line.
    package var metadataProvider: Logger.MetadataProvider?

    let sink: LogSink
    let wallClock: @Sendable () -> Duration

    /// A handler writing `format` lines to `sink`.
    ///
    /// - Parameters:
    ///   - label: The logger's label.
    ///   - level: The least severe level to write.
    ///   - format: The line format; `.auto` is resolved now against this process's stderr.
    ///   - sink: Where lines go.
    ///   - metadataProvider: Contextual metadata to merge into every line.
    ///   - wallClock: The time since the Unix epoch, for timestamps; tests pin it.
    package init(
        label: String,
        level: Logger.Level = .info,
        format: LogFormat = .auto,
        sink: LogSink = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil,
        wallClock: @escaping @Sendable () -> Duration = DaemonLogHandler.realtime
    ) {
        self.label = label
        self.logLevel = level
        self.format = format.resolvedForStandardError()
        self.sink = sink
        self.metadata = [:]
        self.metadataProvider = metadataProvider
        self.wallClock = wallClock
    }

    /// A `Logger` backed by a new handler, without bootstrapping the global logging system.
    package static func makeLogger(
        label: String, level: Logger.Level, format: LogFormat, sink: LogSink = .standardError
    ) -> Logger {
        Logger(label: label) { label in
            DaemonLogHandler(label: label, level: level, format: format, sink: sink)
        }
    }

    /// A factory for `LoggingSystem.bootstrap`, for the executable to install if it chooses to.
    ///
    /// `.auto` is resolved once here rather than per logger.
    package static func factory(
        level: Logger.Level, format: LogFormat, sink: LogSink = .standardError
    ) -> @Sendable (String, Logger.MetadataProvider?) -> any LogHandler {
        let format = format.resolvedForStandardError()
        return { label, provider in
            DaemonLogHandler(label: label, level: level, format: format, sink: sink, metadataProvider: provider)
        }
    }

    /// Reads or writes one metadata value of this handler.
    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats `event` and writes it as one line.
    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, new in new }
        }
        if let error = event.error {
            // One key, in the house `th.` namespace, so an error reads like any other value.
            merged["th.error"] = .string("\(error)")
        }
        sink.write(
            Self.line(
                format: format, time: wallClock(), level: event.level, label: label,
                message: event.message.description, metadata: merged))
    }

    /// The real-time clock as a duration since the Unix epoch.
    package static func realtime() -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return .seconds(Int64(now.tv_sec)) + .nanoseconds(Int64(now.tv_nsec))
    }
}
