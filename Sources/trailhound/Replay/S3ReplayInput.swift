import AsyncHTTPClient
import Foundation
import TrailAWS
import TrailReader

/// `replay s3://BUCKET/PREFIX`: the CloudTrail files under the prefixes (only the days a time
/// window reaches, `CloudTrailListing`), each streamed from `GetObject` into the reader as it
/// arrives, with the reader's limits. Credentials, region and endpoint come from the environment
/// and the shared AWS files, as the AWS CLI finds them (`AWSProfileSettings`).
final class S3ReplayInput: ReplayInput {
    struct Object {
        var bucket: String
        var key: String
    }

    let names: [String]
    private let objects: [Object]
    private let s3: S3Client
    private let http: HTTPClient

    private init(objects: [Object], s3: S3Client, http: HTTPClient) {
        self.objects = objects
        names = objects.map { "s3://\($0.bucket)/\($0.key)" }
        self.s3 = s3
        self.http = http
    }

    deinit { try? http.syncShutdown() }

    /// `s3://bucket/prefix` → bucket and prefix; nil when `url` is not one.
    static func location(_ url: String) -> (bucket: String, prefix: String)? {
        guard url.hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst("s3://".count)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { return nil }
        return (String(bucket), String(rest.dropFirst(bucket.count + 1)))
    }

    /// Lists what `urls` hold for the window; throws a message for the user.
    static func make(urls: [String], since: String?, until: String?, environment: [String: String]) throws -> S3ReplayInput {
        let settings = try AWSProfileSettings(environment: environment, files: sharedFiles(environment))
        guard let region = settings.region else {
            throw S3ReplayError("no AWS region: set AWS_REGION, or region in the profile `\(settings.profile)`")
        }
        let http = AWSClient.makeHTTPClient()
        do {
            let chain = AWSCredentialChain(
                source: settings.credentials, http: http,
                stsEndpoint: settings.endpoint(for: "STS") ?? "https://sts.\(region).amazonaws.com")
            let s3 = try S3Client(
                client: AWSClient(http: http, credentials: chain), region: region, endpoint: settings.endpoint(for: "S3"))
            var objects: [Object] = []
            for url in urls {
                guard let (bucket, prefix) = location(url) else { throw S3ReplayError("not an s3://BUCKET/PREFIX URL: \(url)") }
                let listing = CloudTrailListing(s3: s3, bucket: bucket)
                let keys = try wait { () async throws(AWSError) in try await listing.keys(under: prefix, since: since, until: until) }
                objects += keys.map(\.key).filter { key in InputPaths.suffixes.contains { key.hasSuffix($0) } }
                    .map { Object(bucket: bucket, key: $0) }
            }
            return S3ReplayInput(objects: objects, s3: s3, http: http)
        } catch {
            try? http.syncShutdown()
            throw error
        }
    }

    func open(_ index: Int) throws(ReaderError) -> any ByteSource {
        let object = objects[index]
        let stream = ObjectStream(name: names[index])
        let s3 = self.s3
        Task { await s3.download(bucket: object.bucket, key: object.key, into: stream) }
        return stream
    }

    func close(_ source: any ByteSource) { (source as? ObjectStream)?.abandon() }

    /// The shared `config` and `credentials` files, where the environment or `~/.aws` puts them.
    private static func sharedFiles(_ environment: [String: String]) throws -> AWSSharedConfig {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func read(_ variable: String, _ fallback: String) -> (String, String)? {
            let path = environment[variable] ?? (home + "/.aws/" + fallback)
            return (try? String(contentsOfFile: path, encoding: .utf8)).map { ($0, path) }
        }
        do {
            return try AWSSharedConfig(
                config: read("AWS_CONFIG_FILE", "config"), credentials: read("AWS_SHARED_CREDENTIALS_FILE", "credentials"))
        } catch {
            throw S3ReplayError("\(error)")
        }
    }

    /// Runs async work from the synchronous command and waits for it.
    private static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws(AWSError) -> T) throws(AWSError) -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Task {
            do throws(AWSError) {
                box.result = .success(try await work())
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

/// A result handed from a task to the thread waiting on a semaphore for it.
private final class ResultBox<T>: @unchecked Sendable {  // written once, before the signal the reader waits for
    var result: Result<T, AWSError>?
}

/// A problem with `replay s3://…` before any file is read, in the user's terms.
struct S3ReplayError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
