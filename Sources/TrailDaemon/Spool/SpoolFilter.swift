/// Decides which paths under the spool are CloudTrail files to process.
///
/// The order of the checks is the order of the reasons an operator would want to hear:
///
/// 1. `hidden`: any segment starts with `.` (dotfiles, `.staging/` directories, rsync's
///    `.name.XXXXXX` temporaries). Hidden directories are not even walked.
/// 2. `temporary`: a name some downloader is still writing: `.tmp`, `.part`, `.partial`,
///    `.crdownload`, `.swp`, a trailing `~`, and the awscli/s3transfer temporary name (the final
///    name plus `.` and 8 random letters or digits, e.g. `X.json.gz.1a2B3c4D`; `aws s3 sync`
///    renames it into place when the download is complete).
/// 3. `excluded`: an `exclude` glob matches; exclusion always wins over inclusion.
/// 4. `notMatched`: with no `include` globs, the name is not a CloudTrail log or Insights file
///    (digests carry no records, so they are not taken by default); with `include` globs, none
///    matches.
///
/// Hidden and temporary names are ignored whatever the globs say, because reading a file that is
/// still being written would quarantine a good file.
package struct SpoolFilter: Sendable {
    /// Why a path is not taken; the caller logs it at debug level.
    package enum Reason: String, Sendable, Hashable, CustomStringConvertible {
        /// A path segment starts with `.`.
        case hidden
        /// The name is a download or editor temporary.
        case temporary
        /// An `exclude` glob matches.
        case excluded
        /// Not a CloudTrail log/Insights name (no `include` globs), or no `include` glob matches.
        case notMatched

        /// The reason as a phrase for a log message.
        package var description: String {
            switch self {
            case .hidden: "hidden (a path segment starts with \".\")"
            case .temporary: "a temporary file that is still being written"
            case .excluded: "matched by an exclude glob"
            case .notMatched: "not a CloudTrail file the spool takes"
            }
        }
    }

    /// The verdict on one path.
    package enum Decision: Sendable, Hashable {
        /// The file is processed.
        case take
        /// The file is left alone, for this reason.
        case ignore(Reason)
    }

    /// The `include` globs; empty means "CloudTrail log and Insights names".
    package let include: [SpoolGlob]
    /// The `exclude` globs.
    package let exclude: [SpoolGlob]

    /// The default filter: CloudTrail log and Insights files, nothing excluded.
    package init() {
        self.include = []
        self.exclude = []
    }

    /// A filter from configured globs; throws on the first glob that does not compile.
    package init(include: [String], exclude: [String]) throws(SpoolGlobError) {
        var included: [SpoolGlob] = []
        for glob in include { included.append(try SpoolGlob(glob)) }
        var excluded: [SpoolGlob] = []
        for glob in exclude { excluded.append(try SpoolGlob(glob)) }
        self.include = included
        self.exclude = excluded
    }

    /// Checks one glob, for configuration validation: throws what is wrong and at which column.
    package static func validate(_ glob: String) throws(SpoolGlobError) {
        _ = try SpoolGlob(glob)
    }

    /// Whether the file at `path` (relative to the spool root, `/`-separated) is taken.
    package func decide(_ path: String) -> Decision {
        let segments = SpoolGlob.segments(of: path)
        if segments.contains(where: { $0.first == "." }) { return .ignore(.hidden) }
        let name = String(String.UnicodeScalarView(segments.last ?? []))
        if isTemporary(name: name, path: path) { return .ignore(.temporary) }
        if exclude.contains(where: { $0.matches(segments: segments) }) { return .ignore(.excluded) }
        return includes(path: path, segments: segments) ? .take : .ignore(.notMatched)
    }

    /// Whether a scan or watch should descend into the directory at `path`: hidden directories
    /// hold nothing the filter would take, so they are skipped.
    package func walks(directory path: String) -> Bool {
        !path.split(separator: "/").contains { $0.hasPrefix(".") }
    }

    private func includes(path: String, segments: [[Unicode.Scalar]]) -> Bool {
        if include.isEmpty {
            guard let name = CloudTrailFileName(fileName: path) else { return false }
            return name.kind != .digest
        }
        return include.contains { $0.matches(segments: segments) }
    }

    private static let temporarySuffixes = [".tmp", ".part", ".partial", ".crdownload", ".swp", "~"]

    private func isTemporary(name: String, path: String) -> Bool {
        let lowercased = name.lowercased()
        if Self.temporarySuffixes.contains(where: { lowercased.hasSuffix($0) }) { return true }
        // s3transfer downloads to `<final name>.<8 hex digits>` and renames when complete. Only a
        // name whose stem would itself be taken counts, so an unrelated file that happens to end
        // in 8 letters is left to the globs.
        let scalars = Array(name.unicodeScalars)
        guard scalars.count > 9, scalars[scalars.count - 9] == "." else { return false }
        let randomPart = scalars[(scalars.count - 8)...]
        guard
            randomPart.allSatisfy({ ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) })
        else { return false }
        let stem = String(String.UnicodeScalarView(scalars[..<(scalars.count - 9)]))
        if stem.hasSuffix(".json") || stem.hasSuffix(".json.gz") { return true }
        let stemPath = String(path.unicodeScalars.dropLast(9))
        return !include.isEmpty && includes(path: stemPath, segments: SpoolGlob.segments(of: stemPath))
    }
}
