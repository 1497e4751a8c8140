extension FilterRegex: Hashable {
    /// Regexes are equal when their source text is; hashing agrees with that.
    package func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
