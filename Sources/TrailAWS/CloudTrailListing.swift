package import Foundation

/// Which keys of a bucket prefix hold CloudTrail log files, for `replay s3://BUCKET/PREFIX`.
///
/// CloudTrail writes `[prefix/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/file`. With a
/// time window only the days in it are listed: the layout is walked one level at a time
/// (accounts, organisation ids, regions, with `/` as the delimiter) down to each region, and
/// then each day's folder is listed, so a backtest of last week does not list the whole bucket.
/// Digest and Insights folders are not walked.
package struct CloudTrailListing: Sendable {
    package let s3: S3Client
    package let bucket: String

    package init(s3: S3Client, bucket: String) {
        self.s3 = s3
        self.bucket = bucket
    }

    /// Folders beside `CloudTrail/` that hold no log files to read.
    static let skipped: Set<String> = ["CloudTrail-Digest", "CloudTrail-Insight", "CloudTrail-Aggregated"]

    /// The day folders (`YYYY/MM/DD`) events from `since` up to `until` (eventTime prefixes, as
    /// `replay` takes them) can be in: a file lands in the folder of its delivery, up to about
    /// 15 minutes after its last event, so the day after `until` is included. Nil without a
    /// `since` (every day); `until` defaults to `today`.
    package static func days(since: String?, until: String?, today: Date = Date()) -> [String]? {
        guard let since, let first = day(since) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let last = until.flatMap(day).flatMap { calendar.date(byAdding: .day, value: 1, to: $0) } ?? today
        var result: [String] = []
        var current = first
        while current <= last && result.count < 36_600 {
            let parts = calendar.dateComponents([.year, .month, .day], from: current)
            result.append(String(format: "%04d/%02d/%02d", parts.year!, parts.month!, parts.day!))
            current = calendar.date(byAdding: .day, value: 1, to: current)!
        }
        return result
    }

    /// The start of the UTC day an eventTime prefix (`2026-12-07`, `2026-12-07T10:00:00Z`) names.
    static func day(_ text: String) -> Date? {
        guard text.count >= 10 else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: String(text.prefix(10)))
    }

    /// The prefixes to list under `prefix`: it alone without `days`, or when it already points
    /// below a region; else each region's folder for each day.
    package func prefixes(under prefix: String, days: [String]?) async throws(AWSError) -> [String] {
        guard let days else { return [prefix] }
        let segments = prefix.split(separator: "/", omittingEmptySubsequences: false)
        if let at = segments.firstIndex(of: "CloudTrail"), at + 2 < segments.count { return [prefix] }
        var start = prefix
        if !start.isEmpty && !start.hasSuffix("/") { start += "/" }
        return try await regions(under: start).flatMap { region in days.map { region + $0 + "/" } }
    }

    /// Every `…/CloudTrail/REGION/` folder under `prefix` (ending with `/`, or empty).
    func regions(under prefix: String) async throws(AWSError) -> [String] {
        var found: [String] = []
        var pending = [prefix]
        var listed = 0
        while let folder = pending.popLast(), listed < 10_000 {
            listed += 1
            let isCloudTrail = folder.hasSuffix("CloudTrail/")
            var token: String?
            repeat {
                let page = try await s3.list(bucket: bucket, prefix: folder, delimiter: "/", token: token)
                for child in page.prefixes {
                    let name = child.dropLast().split(separator: "/").last.map(String.init) ?? ""
                    if isCloudTrail {
                        found.append(child)
                    } else if !Self.skipped.contains(name) {
                        pending.append(child)
                    }
                }
                token = page.next
            } while token != nil
        }
        return found.sorted()
    }

    /// Every key to read under `prefix` for the window, in key order.
    package func keys(under prefix: String, since: String?, until: String?) async throws(AWSError) -> [S3Client.Object] {
        var objects: [S3Client.Object] = []
        for folder in try await prefixes(under: prefix, days: Self.days(since: since, until: until)) {
            var token: String?
            repeat {
                let page = try await s3.list(bucket: bucket, prefix: folder, token: token)
                objects += page.objects
                token = page.next
            } while token != nil
        }
        return objects.sorted { $0.key < $1.key }
    }
}
