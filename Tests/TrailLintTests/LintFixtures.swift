import TrailLint

/// A small catalogue shaped like the real one: Lambda's versioned names, a CloudFront name with
/// its API version, non-API events (ConsoleLogin), and names several sources share.
enum LintFixtures {
    static let catalogueText = """
        # a comment, and a blank line next

        cloudfront.amazonaws.com\tUpdateDistribution2020_05_31\ta
        cloudtrail.amazonaws.com\tDeleteTrail\tar
        cloudtrail.amazonaws.com\tStartLogging\ta
        cloudtrail.amazonaws.com\tStopLogging\tar
        ec2.amazonaws.com\tCopySnapshot\ta
        ec2.amazonaws.com\tCreateSnapshot\ta
        ec2.amazonaws.com\tDeleteSnapshot\ta
        ec2.amazonaws.com\tSharedSnapshotVolumeCreated\tr
        iam.amazonaws.com\tCreateAccessKey\ta
        iam.amazonaws.com\tCreateUser\tar
        iam.amazonaws.com\tDeleteUser\ta
        lambda.amazonaws.com\tCreateFunctionUrlConfig\tar
        lambda.amazonaws.com\tInvoke\tar
        lambda.amazonaws.com\tPublishLayerVersion20181031\td
        lambda.amazonaws.com\tUpdateFunctionCode20150331\tdr
        lambda.amazonaws.com\tUpdateFunctionCode20150331v2\tr
        s3.amazonaws.com\tDeleteAccountPublicAccessBlock\ta
        s3.amazonaws.com\tDeleteBucketPolicy\ta
        s3.amazonaws.com\tDeleteBucketPublicAccessBlock\tar
        s3.amazonaws.com\tGetObject\ta
        s3.amazonaws.com\tPutBucketPolicy\tar
        signin.amazonaws.com\tConsoleLogin\tr
        transfer.amazonaws.com\tCreateUser\ta

        """

    static let catalogue: EventCatalogue = {
        do {
            return try EventCatalogue(parsing: Array(catalogueText.utf8))
        } catch {
            fatalError("the fixture catalogue does not parse: \(error)")
        }
    }()
}
