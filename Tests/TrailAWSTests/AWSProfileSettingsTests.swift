import Testing

@testable import TrailAWS

/// The shared files and the environment, decided as the AWS SDKs decide them.
struct AWSProfileSettingsTests {
    static let config = """
        # comment
        [default]
        region = eu-west-1 ; inline comment
        services = local

        [profile eks]
        role_arn = arn:aws:iam::123456789012:role/trailhound
        web_identity_token_file = /var/run/secrets/eks.amazonaws.com/serviceaccount/token
        region=us-east-2

        [profile chained]
        role_arn = arn:aws:iam::123456789012:role/other
        source_profile = default

        [services local]
        s3 =
          endpoint_url = http://127.0.0.1:5000
          addressing_style = path
        [sso-session corp]
        sso_region = us-east-1
        """
    static let credentials = """
        [default]
        aws_access_key_id = AKIDFILE
        aws_secret_access_key = secret#with-hash
        [half]
        aws_access_key_id = AKIDHALF
        """

    static func files() throws -> AWSSharedConfig {
        try AWSSharedConfig(config: (config, "config"), credentials: (credentials, "credentials"))
    }

    @Test func theFilesAreReadAsTheCLIReadsThem() throws {
        let files = try Self.files()
        #expect(files.profiles["default"]?["region"] == "eu-west-1")
        #expect(files.profiles["default"]?["aws_secret_access_key"] == "secret#with-hash")
        #expect(files.profiles["eks"]?["region"] == "us-east-2")
        #expect(files.services["local"]?["s3.endpoint_url"] == "http://127.0.0.1:5000")
        #expect(files.services["local"]?["s3.addressing_style"] == "path")
        #expect(files.profiles["corp"] == nil && files.profiles["sso-session corp"] == nil)
    }

    @Test func aBrokenLineIsNamedWithItsFileAndNumber() {
        #expect(throws: AWSSharedConfig.ParseError(file: "config", line: 3, reason: "expected `key = value`")) {
            try AWSSharedConfig(config: ("[default]\nregion = x\nnonsense\n", "config"), credentials: nil)
        }
        #expect(throws: AWSSharedConfig.ParseError(file: "credentials", line: 1, reason: "a setting before any [section]")) {
            try AWSSharedConfig(config: nil, credentials: ("aws_access_key_id = A\n", "credentials"))
        }
    }

    @Test func environmentKeysComeFirstThenWebIdentityThenTheProfile() throws {
        let files = try Self.files()
        let keys = try AWSProfileSettings(
            environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"],
            files: files)
        #expect(keys.credentials == .environment(AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "s", sessionToken: "t")))
        #expect(keys.region == "eu-west-1")
        let irsa = try AWSProfileSettings(
            environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": "/token", "AWS_ROLE_ARN": "arn:r", "AWS_REGION": "ap-south-1"],
            files: files)
        #expect(irsa.credentials == .webIdentity(roleARN: "arn:r", tokenFile: "/token", sessionName: "trailhound"))
        #expect(irsa.region == "ap-south-1")
        let profile = try AWSProfileSettings(environment: [:], files: files)
        #expect(profile.credentials == .profile("default", AWSCredentials(accessKeyID: "AKIDFILE", secretAccessKey: "secret#with-hash")))
        let eks = try AWSProfileSettings(environment: ["AWS_PROFILE": "eks"], files: files)
        #expect(
            eks.credentials
                == .webIdentity(
                    roleARN: "arn:aws:iam::123456789012:role/trailhound",
                    tokenFile: "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", sessionName: "trailhound"))
        #expect(eks.region == "us-east-2")
    }

    @Test func containersThenTheInstanceProfile() throws {
        let none = AWSSharedConfig()
        #expect(
            try AWSProfileSettings(environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"], files: none)
                .credentials == .container(url: "http://169.254.170.2/v2/credentials/x", authorizationToken: nil, authorizationTokenFile: nil))
        #expect(
            try AWSProfileSettings(
                environment: [
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token",
                ], files: none
            ).credentials
                == .container(
                    url: "http://169.254.170.23/v1/credentials", authorizationToken: nil,
                    authorizationTokenFile: "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token"))
        #expect(try AWSProfileSettings(environment: [:], files: none).credentials == .instanceMetadata(endpoint: "http://169.254.169.254"))
        #expect(throws: AWSProfileSettings.ConfigurationError.self) {
            try AWSProfileSettings(environment: ["AWS_EC2_METADATA_DISABLED": "true"], files: none)
        }
    }

    @Test func halfAKeyPairOrAMissingProfileIsAnErrorThatSaysWhatToDo() throws {
        let files = try Self.files()
        for (environment, says) in [
            (["AWS_ACCESS_KEY_ID": "A"], "AWS_SECRET_ACCESS_KEY is not"),
            (["AWS_PROFILE": "half"], "only one of aws_access_key_id"),
            (["AWS_PROFILE": "nowhere"], "`nowhere`"),
            (["AWS_PROFILE": "chained"], "does not do"),
        ] {
            let error = #expect(throws: AWSProfileSettings.ConfigurationError.self) {
                try AWSProfileSettings(environment: environment, files: files)
            }
            #expect(error?.description.contains(says) == true, "\(environment): \(String(describing: error))")
        }
    }

    @Test func endpointsAreChosenAsTheSDKsChooseThem() throws {
        let files = try Self.files()
        let plain = try AWSProfileSettings(environment: [:], files: files)
        #expect(plain.endpoint(for: "S3") == "http://127.0.0.1:5000")  // the profile's services section
        #expect(plain.endpoint(for: "SQS") == nil)
        let general = try AWSProfileSettings(environment: ["AWS_ENDPOINT_URL": "http://localhost:4566"], files: files)
        #expect(general.endpoint(for: "SQS") == "http://localhost:4566")
        #expect(general.endpoint(for: "S3") == "http://127.0.0.1:5000")
        let specific = try AWSProfileSettings(
            environment: ["AWS_ENDPOINT_URL": "http://a", "AWS_ENDPOINT_URL_SQS": "http://b"], files: files)
        #expect(specific.endpoint(for: "SQS") == "http://b")
        let ignored = try AWSProfileSettings(
            environment: ["AWS_ENDPOINT_URL_SQS": "http://b", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"], files: files)
        #expect(ignored.endpoint(for: "SQS") == nil && ignored.endpoint(for: "S3") == nil)
    }
}
