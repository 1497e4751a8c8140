/// A compiled set of paths, and the single pass that pulls their values out of a record.
///
/// The paths are turned into a deterministic automaton over object keys and array indexes (a
/// subset construction over the trie of paths, so `$.a.b`, `$.*.b` and `$.a[*]` share one walk).
/// Projecting a record walks its bytes once: members whose key leads nowhere are skipped by the
/// validating scanner without building strings, and values that reach a path's end are recorded
/// as byte ranges in `ProjectedFields`. The whole record is validated on the way, so a record that
/// projects without error is well-formed JSON.
package struct JSONProjection: Sendable {
    /// The paths, in the order their values are reported.
    package let paths: [JSONPath]
    package let limits: JSONLimits

    // Flat tables, so that the hot loop reads plain memory and touches no reference counts.
    private let states: [State]
    private let keys: [KeyEdge]
    private let keyBytes: [UInt8]
    private let indexes: [IndexEdge]
    private let terminals: [Int32]

    private struct State: Sendable {
        var keyStart: Int32 = 0
        var keyCount: Int32 = 0
        var memberDefault: Int32 = JSONProjection.dead
        var indexStart: Int32 = 0
        var indexCount: Int32 = 0
        var elementDefault: Int32 = JSONProjection.dead
        var terminalStart: Int32 = 0
        var terminalCount: Int32 = 0
        var entersObjects: Bool { keyCount > 0 || memberDefault != JSONProjection.dead }
        var entersArrays: Bool { indexCount > 0 || elementDefault != JSONProjection.dead }
    }

    private struct KeyEdge: Sendable {
        var offset: Int32
        var length: Int32
        var target: Int32
    }

    private struct IndexEdge: Sendable {
        var index: Int
        var target: Int32
    }

    private static let dead: Int32 = 0
    private static let start: Int32 = 1

    package init(paths: [JSONPath], limits: JSONLimits = .default) {
        self.paths = paths
        self.limits = limits
        var builder = Builder(paths: paths)
        builder.determinize()
        states = builder.states
        keys = builder.keys
        keyBytes = builder.keyBytes
        indexes = builder.indexes
        terminals = builder.terminals
    }

    /// A fresh result table sized for these paths.
    package func makeFields() -> ProjectedFields { ProjectedFields(pathCount: paths.count) }

    /// Validates `record` (one JSON value, surrounding whitespace allowed) and fills `fields` with
    /// the values at every path.
    package func project(_ record: UnsafeRawBufferPointer, into fields: inout ProjectedFields) throws(JSONError) {
        try checkedRecordSize(record.count)
        var cursor = JSONCursor(record, limits: limits)
        cursor.skipWhitespace()
        try walk(&cursor, into: &fields)
        cursor.skipWhitespace()
        if cursor.position < cursor.count {
            throw cursor.error(.trailingContent, at: cursor.position, expected: "the end of the record")
        }
    }

    /// Projects the one value that starts at `buffer[0]` and returns where it ends, ignoring what
    /// follows it: how a reader frames and projects a record in one pass. When the value runs past
    /// the end of `buffer` the error is `unexpectedEnd` at `buffer.count`, and a reader with more
    /// input refills and calls again. Offsets in `fields` are relative to `buffer`.
    package func projectPrefix(_ buffer: UnsafeRawBufferPointer, into fields: inout ProjectedFields) throws(JSONError)
        -> Int
    {
        var cursor = JSONCursor(buffer, limits: limits)
        try walk(&cursor, into: &fields)
        try checkedRecordSize(cursor.position)
        return cursor.position
    }

    /// Offsets are stored in 32 bits; the record-size limit keeps every record within them.
    private func checkedRecordSize(_ size: Int) throws(JSONError) {
        try JSONCursor.checkRecordSize(size, at: 0, limit: limits.maxRecordBytes)
    }

    private func walk(_ cursor: inout JSONCursor, into fields: inout ProjectedFields) throws(JSONError) {
        precondition(fields.pathCount == paths.count, "ProjectedFields was made for another projection")
        fields.reset()
        fields.rootKind = cursor.current.flatMap(JSONProjection.kindOfLeadByte)
        let start = cursor
        cursor = try states.withUnsafeBufferPointer { (states) throws(JSONError) in
            try keys.withUnsafeBufferPointer { (keys) throws(JSONError) in
                try keyBytes.withUnsafeBufferPointer { (keyBytes) throws(JSONError) in
                    try indexes.withUnsafeBufferPointer { (indexes) throws(JSONError) in
                        try terminals.withUnsafeBufferPointer { (terminals) throws(JSONError) in
                            var run = Run(
                                cursor: start, states: states, keys: keys, keyBytes: keyBytes, indexes: indexes,
                                terminals: terminals)
                            try run.walk(JSONProjection.start, depth: 0, into: &fields)
                            return run.cursor
                        }
                    }
                }
            }
        }
    }

    private static func kindOfLeadByte(_ byte: UInt8) -> JSONKind? {
        switch byte {
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .array
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "t"): .true
        case UInt8(ascii: "f"): .false
        case UInt8(ascii: "n"): .null
        default: .number
        }
    }

    // MARK: The walk

    private struct Run {
        var cursor: JSONCursor
        let states: UnsafeBufferPointer<State>
        let keys: UnsafeBufferPointer<KeyEdge>
        let keyBytes: UnsafeBufferPointer<UInt8>
        let indexes: UnsafeBufferPointer<IndexEdge>
        let terminals: UnsafeBufferPointer<Int32>

        /// Walks the value under the cursor in automaton state `state`; `depth` is the nesting of
        /// the container holding it.
        mutating func walk(_ state: Int32, depth: Int, into fields: inout ProjectedFields) throws(JSONError) {
            let entry = states[Int(state)]
            let start = cursor.position
            guard let lead = cursor.current else { throw cursor.unexpected("a value") }
            var kind: JSONKind
            var hasEscapes = false
            if lead == UInt8(ascii: "{") && entry.entersObjects {
                try walkObject(entry, depth: depth + 1, into: &fields)
                kind = .object
            } else if lead == UInt8(ascii: "[") && entry.entersArrays {
                try walkArray(entry, depth: depth + 1, into: &fields)
                kind = .array
            } else if lead == UInt8(ascii: "\"") {
                hasEscapes = try cursor.scanString()
                kind = .string
            } else {
                kind = try cursor.skipValue(depth: depth)
            }
            guard entry.terminalCount > 0 else { return }
            let (from, to) = kind == .string ? (start + 1, cursor.position - 1) : (start, cursor.position)
            for index in Int(entry.terminalStart)..<Int(entry.terminalStart + entry.terminalCount) {
                fields.append(
                    path: terminals[index],
                    ProjectedValue(kind: kind, hasEscapes: hasEscapes, start: Int32(from), end: Int32(to)))
            }
        }

        private mutating func walkObject(_ entry: State, depth: Int, into fields: inout ProjectedFields)
            throws(JSONError)
        {
            guard try !cursor.enterContainer(closing: UInt8(ascii: "}"), depth: depth) else { return }
            repeat {
                guard cursor.current == UInt8(ascii: "\"") else { throw cursor.unexpected("a string key in an object") }
                let keyStart = cursor.position + 1
                let keyEscaped = try cursor.scanString()
                let target = target(
                    of: entry, keyFrom: keyStart, to: cursor.position - 1, escaped: keyEscaped, fields: &fields)
                try cursor.expectColon()
                if target == JSONProjection.dead {
                    _ = try cursor.skipValue(depth: depth)
                } else {
                    try walk(target, depth: depth, into: &fields)
                }
            } while try !cursor.endOfItem(closing: UInt8(ascii: "}"))
        }

        private mutating func walkArray(_ entry: State, depth: Int, into fields: inout ProjectedFields)
            throws(JSONError)
        {
            guard try !cursor.enterContainer(closing: UInt8(ascii: "]"), depth: depth) else { return }
            var element = 0
            repeat {
                var target = entry.elementDefault
                for edge in indexes[Int(entry.indexStart)..<Int(entry.indexStart + entry.indexCount)]
                where edge.index == element {
                    target = edge.target
                }
                if target == JSONProjection.dead {
                    _ = try cursor.skipValue(depth: depth)
                } else {
                    try walk(target, depth: depth, into: &fields)
                }
                element += 1
            } while try !cursor.endOfItem(closing: UInt8(ascii: "]"))
        }

        /// The state a member with the given key leads to.
        @inline(__always)
        private func target(
            of entry: State, keyFrom start: Int, to end: Int, escaped: Bool, fields: inout ProjectedFields
        ) -> Int32 {
            guard entry.keyCount > 0 else { return entry.memberDefault }
            if escaped {
                fields.keyScratch.removeAll(keepingCapacity: true)
                JSONString.decode(
                    UnsafeRawBufferPointer(start: cursor.base + start, count: end - start), into: &fields.keyScratch)
                return fields.keyScratch.withUnsafeBufferPointer { decoded in
                    match(entry, decoded.baseAddress ?? cursor.base, decoded.count)
                }
            }
            return match(entry, cursor.base + start, end - start)
        }

        @inline(__always)
        private func match(_ entry: State, _ key: UnsafePointer<UInt8>, _ length: Int) -> Int32 {
            var index = Int(entry.keyStart)
            let stop = index + Int(entry.keyCount)
            while index < stop {
                let edge = keys[index]
                if Int(edge.length) == length
                    && (length == 0 || memcmpBytes(keyBytes.baseAddress! + Int(edge.offset), key, length))
                {
                    return edge.target
                }
                index += 1
            }
            return entry.memberDefault
        }
    }

    // MARK: Construction

    /// Builds the trie of paths, then determinizes it into flat state tables.
    private struct Builder {
        struct Node {
            var keyed: [[UInt8]: Int] = [:]
            var indexed: [Int: Int] = [:]
            var anyMember: Int?
            var anyElement: Int?
            var terminals: [Int32] = []
        }

        var nodes: [Node] = [Node()]
        var states: [State] = [State(), State()]
        var keys: [KeyEdge] = []
        var keyBytes: [UInt8] = []
        var indexes: [IndexEdge] = []
        var terminals: [Int32] = []

        init(paths: [JSONPath]) {
            for (pathIndex, path) in paths.enumerated() {
                var node = 0
                for step in path.steps {
                    node = child(of: node, step)
                }
                nodes[node].terminals.append(Int32(pathIndex))
            }
        }

        private mutating func child(of node: Int, _ step: JSONPath.Step) -> Int {
            let existing: Int? =
                switch step {
                case .key(let name): nodes[node].keyed[Array(name.utf8)]
                case .index(let index): nodes[node].indexed[index]
                case .anyMember: nodes[node].anyMember
                case .anyElement: nodes[node].anyElement
                }
            if let existing { return existing }
            let created = nodes.count
            nodes.append(Node())
            switch step {
            case .key(let name): nodes[node].keyed[Array(name.utf8)] = created
            case .index(let index): nodes[node].indexed[index] = created
            case .anyMember: nodes[node].anyMember = created
            case .anyElement: nodes[node].anyElement = created
            }
            return created
        }

        /// Subset construction: each automaton state is a set of trie nodes reached together.
        mutating func determinize() {
            var stateOf: [[Int]: Int32] = [[]: JSONProjection.dead, [0]: JSONProjection.start]
            var pending: [([Int], Int32)] = [([0], JSONProjection.start)]
            func intern(_ set: [Int]) -> Int32 {
                let key = Array(Set(set)).sorted()
                if let known = stateOf[key] { return known }
                let id = Int32(states.count)
                states.append(State())
                stateOf[key] = id
                pending.append((key, id))
                return id
            }
            while let (set, id) = pending.popLast() {
                var state = State()
                let members = set.compactMap { nodes[$0].anyMember }
                let elements = set.compactMap { nodes[$0].anyElement }
                state.memberDefault = intern(members)
                state.elementDefault = intern(elements)

                let names = Set(set.flatMap { nodes[$0].keyed.keys }).sorted { $0.lexicographicallyPrecedes($1) }
                let keyTargets = names.map { name in (name, intern(set.compactMap { nodes[$0].keyed[name] } + members))
                }
                state.keyStart = Int32(keys.count)
                state.keyCount = Int32(keyTargets.count)
                for (name, target) in keyTargets {
                    keys.append(KeyEdge(offset: Int32(keyBytes.count), length: Int32(name.count), target: target))
                    keyBytes.append(contentsOf: name)
                }

                let numbers = Set(set.flatMap { nodes[$0].indexed.keys }).sorted()
                let indexTargets = numbers.map { number in
                    (number, intern(set.compactMap { nodes[$0].indexed[number] } + elements))
                }
                state.indexStart = Int32(indexes.count)
                state.indexCount = Int32(indexTargets.count)
                for (number, target) in indexTargets {
                    indexes.append(IndexEdge(index: number, target: target))
                }

                let ends = set.flatMap { nodes[$0].terminals }.sorted()
                state.terminalStart = Int32(terminals.count)
                state.terminalCount = Int32(ends.count)
                terminals.append(contentsOf: ends)
                states[Int(id)] = state
            }
        }
    }
}

/// Byte equality of two ranges of `length` bytes; small keys dominate, so a plain loop is fine.
@inline(__always)
private func memcmpBytes(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ length: Int) -> Bool {
    var index = 0
    while index &+ 8 <= length {
        if UnsafeRawPointer(lhs + index).loadUnaligned(as: UInt64.self)
            != UnsafeRawPointer(rhs + index).loadUnaligned(as: UInt64.self)
        {
            return false
        }
        index &+= 8
    }
    while index < length {
        if lhs[index] != rhs[index] { return false }
        index &+= 1
    }
    return true
}
