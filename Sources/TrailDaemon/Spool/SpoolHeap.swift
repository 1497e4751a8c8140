/// A binary min-heap, the priority queue behind `SpoolWatcher`'s backlog and deadlines.
///
/// The watcher never removes from the middle: it leaves superseded elements in place and discards
/// them when they reach the top (each element carries the generation of the entry it was pushed
/// for). That keeps every operation O(log n) with a plain array.
struct SpoolHeap<Element: Comparable>: Sendable where Element: Sendable {
    private(set) var elements: [Element] = []

    var count: Int { elements.count }
    var top: Element? { elements.first }

    mutating func push(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child] < elements[parent] else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> Element? {
        guard !elements.isEmpty else { return nil }
        elements.swapAt(0, elements.count - 1)
        let smallest = elements.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallestChild = parent
            if left < elements.count && elements[left] < elements[smallestChild] { smallestChild = left }
            if right < elements.count && elements[right] < elements[smallestChild] { smallestChild = right }
            guard smallestChild != parent else { break }
            elements.swapAt(parent, smallestChild)
            parent = smallestChild
        }
        return smallest
    }

    /// Keeps only the elements `isLive` accepts; used to shed superseded elements in bulk.
    mutating func rebuild(keeping isLive: (Element) -> Bool) {
        let live = elements.filter(isLive)
        elements = []
        elements.reserveCapacity(live.count)
        for element in live { push(element) }
    }
}
