import Foundation

/// What the environment and the shared files say about reaching AWS, decided the way the AWS
/// SDKs decide it: where credentials come from, the region, and each service's endpoint. A pure
/// function of the environment variables and the parsed files, so tests give both; the I/O
/// (reading the files, fetching temporary credentials) is the caller's.
package struct AWSProfileSettings: Sendable, Hashable {
    /// Where credentials come from, in the order every AWS SDK looks.
    package enum CredentialSource: Sendable, Hashable {
        /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
        case environment(AWSCredentials)
        /// Keys in the shared files' profile.
        case profile(String, AWSCredentials)
        /// STS `AssumeRoleWithWebIdentity` with the token in a file (EKS service accounts).
        case webIdentity(roleARN: String, tokenFile: String, sessionName: String)
        /// The container credentials endpoint (ECS tasks, EKS Pod Identity), with the token to
        /// send (given, or in a file read at each fetch: it rotates).
        case container(url: String, authorizationToken: String?, authorizationTokenFile: String?)
        /// The EC2 instance profile, through IMDSv2 at this endpoint.
        case instanceMetadata(endpoint: String)
    }

    /// A setting that cannot work, with what to change.
    package struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        package var description: String
    }

    package var profile: String
    package var credentials: CredentialSource
    /// The region, when the environment or the profile names one (an SQS queue URL also does).
    package var region: String?
    private var environment: [String: String]
    private var settings: [String: String]
    private var serviceSettings: [String: String]

    /// Decides from `environment` (the process's variables) and `files` (the shared files, or
    /// empty when there are none; `filesDescription` names them in errors).
    package init(
        environment: [String: String], files: AWSSharedConfig, filesDescription: String = "~/.aws/config and ~/.aws/credentials"
    ) throws(ConfigurationError) {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let named = variable("AWS_PROFILE") ?? variable("AWS_DEFAULT_PROFILE")
        profile = named ?? "default"
        let settings = files.profiles[profile] ?? [:]
        if let named, files.profiles[named] == nil, variable("AWS_ACCESS_KEY_ID") == nil {
            throw ConfigurationError(
                description:
                    "AWS_PROFILE names the profile `\(named)`, which \(filesDescription) do not have: add it, or unset AWS_PROFILE"
            )
        }
        self.environment = environment
        self.settings = settings
        serviceSettings = settings["services"].flatMap { files.services[$0] } ?? [:]
        region = variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") ?? settings["region"]

        let sessionName = variable("AWS_ROLE_SESSION_NAME") ?? settings["role_session_name"] ?? "trailhound"
        switch (variable("AWS_ACCESS_KEY_ID"), variable("AWS_SECRET_ACCESS_KEY")) {
        case (let key?, let secret?):
            credentials = .environment(
                AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: variable("AWS_SESSION_TOKEN")))
            return
        case (.some, nil):
            throw ConfigurationError(description: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither")
        case (nil, .some):
            throw ConfigurationError(description: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, or neither")
        case (nil, nil):
            break
        }
        if let tokenFile = variable("AWS_WEB_IDENTITY_TOKEN_FILE"), let role = variable("AWS_ROLE_ARN") {
            credentials = .webIdentity(roleARN: role, tokenFile: tokenFile, sessionName: sessionName)
            return
        }
        switch (settings["aws_access_key_id"], settings["aws_secret_access_key"]) {
        case (let key?, let secret?):
            credentials = .profile(
                profile,
                AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: settings["aws_session_token"]))
            return
        case (.some, nil), (nil, .some):
            throw ConfigurationError(
                description:
                    "the profile `\(profile)` in \(filesDescription) has only one of aws_access_key_id and aws_secret_access_key"
            )
        case (nil, nil):
            break
        }
        if let role = settings["role_arn"] {
            guard let tokenFile = settings["web_identity_token_file"] else {
                throw ConfigurationError(
                    description:
                        "the profile `\(profile)` assumes the role \(role) from another profile or source, which trailhound does not do: give it web_identity_token_file, or run with credentials for the role itself (environment variables, a container or instance role)"
                )
            }
            credentials = .webIdentity(roleARN: role, tokenFile: tokenFile, sessionName: sessionName)
            return
        }
        if let relative = variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            credentials = .container(
                url: "http://169.254.170.2" + relative, authorizationToken: nil, authorizationTokenFile: nil)
            return
        }
        if let full = variable("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            credentials = .container(
                url: full, authorizationToken: variable("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
                authorizationTokenFile: variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"))
            return
        }
        if variable("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
            throw ConfigurationError(
                description:
                    "no AWS credentials: none in the environment or in the profile `\(profile)`, no container endpoint, and AWS_EC2_METADATA_DISABLED=true rules out an instance profile"
            )
        }
        credentials = .instanceMetadata(
            endpoint: variable("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? settings["ec2_metadata_service_endpoint"]
                ?? "http://169.254.169.254")
    }

    /// The endpoint for `service` (its SDK id, such as `S3` or `SQS`) when one is configured, as
    /// the SDKs order them: `AWS_ENDPOINT_URL_<SERVICE>`, the profile's `services` section, then
    /// `AWS_ENDPOINT_URL` and the profile's `endpoint_url`. Nil: AWS's own endpoint for the region.
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or `ignore_configured_endpoint_urls`) turns
    /// them all off.
    package func endpoint(for service: String) -> String? {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let ignored = variable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") ?? settings["ignore_configured_endpoint_urls"]
        if ignored?.lowercased() == "true" { return nil }
        let key = service.uppercased().replacingOccurrences(of: " ", with: "_")
        return variable("AWS_ENDPOINT_URL_" + key)
            ?? serviceSettings[service.lowercased().replacingOccurrences(of: " ", with: "_") + ".endpoint_url"]
            ?? variable("AWS_ENDPOINT_URL") ?? settings["endpoint_url"]
    }
}
