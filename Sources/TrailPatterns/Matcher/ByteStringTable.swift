/// Open-addressing hash sets of byte strings, all stored in flat arrays.
///
/// An OR-chain of equalities on one selector (`$.eventName = A || $.eventName = B || …`, the shape
/// of most CIS rules) compiles to one lookup here instead of a comparison per alternative. Every set
/// of a `PatternMatcher` lives in the same table so that the evaluation loop reads plain memory.
struct ByteStringTable: Sendable {
    struct Slot: Sendable {
        var hash: UInt64 = 0
        var offset: Int32 = -1
        var length: Int32 = 0
        /// What the member maps to, for tables used as maps (see `add(_:payloads:)`).
        var payload: Int32 = -1
    }

    /// Where one set's slots are: `start..<start + mask + 1`.
    struct SetReference: Sendable {
        var start: Int32
        var mask: Int32
    }

    private(set) var slots: [Slot] = []
    private(set) var bytes: [UInt8] = []

    /// Adds a set holding `members` (duplicates ignored) and returns where it is.
    mutating func add(_ members: [[UInt8]]) -> SetReference {
        add(members, payloads: Array(repeating: -1, count: members.count))
    }

    /// Adds a map from each of `members` to the payload at the same position.
    mutating func add(_ members: [[UInt8]], payloads: [Int32]) -> SetReference {
        var capacity = 4
        while capacity < members.count * 2 { capacity *= 2 }
        let start = slots.count
        slots.append(contentsOf: repeatElement(Slot(), count: capacity))
        let reference = SetReference(start: Int32(start), mask: Int32(capacity - 1))
        for (member, payload) in zip(members, payloads) {
            let hash = ByteStringTable.hash(member.withUnsafeBytes { $0 })
            var probe = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[start + probe].offset >= 0 {
                let existing = slots[start + probe]
                if existing.hash == hash
                    && Array(bytes[Int(existing.offset)..<Int(existing.offset + existing.length)]) == member
                {
                    break
                }
                probe = (probe + 1) & (capacity - 1)
            }
            if slots[start + probe].offset < 0 {
                slots[start + probe] = Slot(
                    hash: hash, offset: Int32(bytes.count), length: Int32(member.count), payload: payload)
                bytes.append(contentsOf: member)
            }
        }
        return reference
    }

    /// Whether the set at `reference` contains `key`.
    @inline(__always)
    func contains(_ key: UnsafeRawBufferPointer, in reference: SetReference) -> Bool {
        lookup(key, in: reference) != nil
    }

    /// The payload of `key` in the map at `reference`, or nil when it is not a member.
    @inline(__always)
    func lookup(_ key: UnsafeRawBufferPointer, in reference: SetReference) -> Int32? {
        let hash = ByteStringTable.hash(key)
        let mask = Int(reference.mask)
        var probe = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBytes { pool in
                while true {
                    let slot = slots[Int(reference.start) + probe]
                    if slot.offset < 0 { return nil }
                    if slot.hash == hash && Int(slot.length) == key.count
                        && (key.count == 0
                            || PatternSemantics.memcmpRaw(
                                pool.baseAddress! + Int(slot.offset), key.baseAddress!, key.count))
                    {
                        return slot.payload
                    }
                    probe = (probe + 1) & mask
                }
            }
        }
    }

    /// A word-at-a-time multiplicative hash: keys are short (event names, sources), so eight
    /// bytes per step matters more here than the last bit of distribution quality.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var index = 0
        let count = key.count
        while index &+ 8 <= count {
            hash = mix(hash ^ key.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index &+= 8
        }
        if index < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(key[index]) << shift
                shift &+= 8
                index &+= 1
            }
            hash = mix(hash ^ tail)
        }
        return hash ^ (hash >> 29)
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0xBF58_476D_1CE4_E5B9)
        return product.high ^ product.low
    }
}
