package import TrailPatterns

/// "Did you mean": the real name nearest to one the catalogue does not have.
extension EventCatalogue {
    /// The name under `sources` nearest to `name`: the same name in other letter case; the name
    /// with the API version CloudTrail adds (`UpdateFunctionCode` → `UpdateFunctionCode20150331v2`)
    /// or without one; a name a few edits away; or one word more or less
    /// (`DeletePublicAccessBlock` → `DeleteBucketPublicAccessBlock`). Nil when nothing is near.
    package func suggestion(forName name: String, in sources: [String]) -> String? {
        EventCatalogue.nearest(to: name, among: names(matching: .any, in: sources), versioned: true)
    }

    /// The known eventSource nearest to `source` (`iam` → `iam.amazonaws.com`, `lamda.amazonaws.com`
    /// → `lambda.amazonaws.com`), or nil.
    package func suggestion(forSource source: String) -> String? {
        let candidates = sortedSources.map { (name: $0, origin: Origin()) }
        if !source.contains("."), hasSource(source + ".amazonaws.com") { return source + ".amazonaws.com" }
        return EventCatalogue.nearest(to: source, among: candidates, versioned: false)
    }

    /// `literal`, a wildcard that matches nothing as written, with its letter case corrected
    /// from a name it matches when case is folded (`delete*` → `Delete*`), or nil.
    package func suggestion(forWildcard literal: StringLiteral, in sources: [String]?) -> String? {
        let candidates =
            sources.map { names(matching: literal.shape, in: $0, caseSensitive: false).map(\.name) }
            ?? self.sources(matching: literal.shape, caseSensitive: false)
        guard let name = candidates.first else { return nil }
        let folded = name.foldedASCII.utf8
        let core: String
        switch literal.shape {
        case .any, .exact: return nil
        case .prefix(let text), .suffix(let text), .contains(let text): core = text
        }
        // ASCII folding keeps byte offsets, so the match's offsets in the folded name are its
        // offsets in the name.
        guard let range = folded.firstRange(of: core.foldedASCII.utf8) else { return nil }
        let bytes = Array(name.utf8)
        let start = folded.distance(from: folded.startIndex, to: range.lowerBound)
        var corrected = Array(literal.text.utf8)
        let offset = literal.text.hasPrefix("*") ? 1 : 0
        for index in 0..<core.utf8.count where start + index < bytes.count {
            corrected[offset + index] = bytes[start + index]
        }
        let text = String(decoding: corrected, as: UTF8.self)
        return text == literal.text ? nil : text
    }

    /// The candidate nearest to `text`, by the steps `suggestion(forName:in:)` lists; names seen
    /// in records win ties, then byte order, so the answer does not depend on hashing.
    static func nearest(to text: String, among candidates: [(name: String, origin: Origin)], versioned: Bool)
        -> String?
    {
        let folded = Array(text.foldedASCII.utf8)
        let candidates = candidates.map { (name: $0.name, folded: Array($0.name.foldedASCII.utf8), origin: $0.origin) }
        typealias Candidate = (name: String, folded: [UInt8], origin: Origin)
        func better(_ lhs: Candidate, _ rhs: Candidate) -> Bool {
            let (left, right) = (lhs.origin.contains(.record), rhs.origin.contains(.record))
            if left != right { return left }
            return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
        }
        if let same = candidates.filter({ $0.folded == folded }).min(by: better) { return same.name }
        if versioned {
            // With the version CloudTrail adds, the newest revision first:
            // UpdateFunctionCode20150331v2 over UpdateFunctionCode20150331.
            let longer = candidates.filter {
                $0.folded.starts(with: folded) && isVersionSuffix($0.folded.dropFirst(folded.count))
            }
            if let best = longer.min(by: {
                $0.name.utf8.count != $1.name.utf8.count ? $0.name.utf8.count > $1.name.utf8.count : better($0, $1)
            }) {
                return best.name
            }
            // Without one: CreateFunctionUrlConfig20211031 → CreateFunctionUrlConfig.
            let shorter = candidates.filter {
                folded.starts(with: $0.folded) && isVersionSuffix(folded.dropFirst($0.folded.count))
            }
            if let best = shorter.min(by: better) { return best.name }
        }
        let limit = folded.count <= 5 ? 1 : folded.count <= 12 ? 2 : 3
        var best: (candidate: Candidate, distance: Int)?
        for candidate in candidates {
            guard let distance = editDistance(folded, candidate.folded, limit: limit) else { continue }
            if let current = best,
                current.distance < distance || current.distance == distance && !better(candidate, current.candidate)
            {
                continue
            }
            best = (candidate, distance)
        }
        if let best { return best.candidate.name }
        guard versioned else { return nil }
        // One word more or less: CloudTrail's DeleteBucketPublicAccessBlock for the API's
        // DeletePublicAccessBlock, GetAccelerateConfiguration for GetBucketAccelerateConfiguration.
        let words = camelCaseWords(text)
        return candidates.filter { differByOneWord(words, camelCaseWords($0.name)) }.min(by: better)?.name
    }

    /// `DeleteBucketPolicy` → `Delete`, `Bucket`, `Policy`: a word starts at each capital letter
    /// (digits and `_` stay with the word before them).
    static func camelCaseWords(_ name: String) -> [Substring] {
        var words: [Substring] = []
        var start = name.startIndex
        for index in name.indices.dropFirst() where name[index].isUppercase {
            words.append(name[start..<index])
            start = index
        }
        if start < name.endIndex { words.append(name[start...]) }
        return words
    }

    /// Whether one word list is the other with one word inserted.
    static func differByOneWord(_ lhs: [Substring], _ rhs: [Substring]) -> Bool {
        guard abs(lhs.count - rhs.count) == 1, min(lhs.count, rhs.count) >= 2 else { return false }
        let (short, long) = lhs.count < rhs.count ? (lhs, rhs) : (rhs, lhs)
        return long.indices.contains { skipped in
            short.elementsEqual(long.enumerated().filter { $0.offset != skipped }.map(\.element))
        }
    }

    /// Whether `bytes` is an API version as CloudTrail appends one: `20150331`, `20150331v2`
    /// (Lambda) or `2020_05_31` (CloudFront).
    static func isVersionSuffix(_ bytes: some Collection<UInt8>) -> Bool {
        let text = Array(bytes)
        func digits(_ range: Range<Int>) -> Bool { text[range].allSatisfy { $0 &- UInt8(ascii: "0") < 10 } }
        if text.count == 10, digits(0..<4), text[4] == UInt8(ascii: "_"), digits(5..<7), text[7] == UInt8(ascii: "_"),
            digits(8..<10)
        {
            return true
        }
        guard text.count >= 8, digits(0..<8) else { return false }
        return text.count == 8 || text.count > 9 && text[8] == UInt8(ascii: "v") && digits(9..<text.count)
    }

    /// The Levenshtein distance between `left` and `right` if it is at most `limit`, else nil.
    static func editDistance(_ left: [UInt8], _ right: [UInt8], limit: Int) -> Int? {
        guard abs(left.count - right.count) <= limit else { return nil }
        guard !left.isEmpty, !right.isEmpty else { return max(left.count, right.count) }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...right.count {
                let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return nil }  // every later row is at least this far
            swap(&previous, &current)
        }
        return previous[right.count] <= limit ? previous[right.count] : nil
    }
}
