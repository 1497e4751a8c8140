import Foundation

/// Expands the inputs of a command: files as given, `-` for standard input, and directories
/// walked recursively for CloudTrail-looking files, in name order.
///
/// The walk does not follow symbolic links (a link inside a spool could point anywhere) and
/// takes only names that end like CloudTrail data (`.json`, `.jsonl`, `.ndjson`, each optionally
/// `.gz`, or `.gz`), so a README or a lock file beside the logs is not read.
enum InputPaths {
    static let suffixes = [".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz"]

    /// The files to read, or a problem with one of the arguments (reported, then skipped).
    enum Entry: Equatable {
        case file(String)
        case problem(String)
    }

    static func expand(_ arguments: [String]) -> [Entry] {
        var entries: [Entry] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if argument != "-", FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory),
                isDirectory.boolValue,
                !isSymbolicLink(argument)
            {
                walk(argument, into: &entries)
            } else {
                entries.append(.file(argument))
            }
        }
        return entries
    }

    private static func walk(_ directory: String, into entries: inout [Entry]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            entries.append(.problem("\(directory): cannot list the directory: \(error.localizedDescription)"))
            return
        }
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType else {
                continue
            }
            switch type {
            case .typeDirectory: walk(path, into: &entries)
            case .typeRegular where suffixes.contains(where: { name.hasSuffix($0) }): entries.append(.file(path))
            default: continue  // links, FIFOs, sockets, devices and other files
            }
        }
    }

    private static func isSymbolicLink(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeSymbolicLink
    }
}
