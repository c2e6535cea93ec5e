import ArgumentParser

/// The `magento-rollout` command: ships a Magento 2 store to EC2 Auto Scaling without downtime.
@main
struct MagentoRolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "magento-rollout",
        abstract: "Ship a Magento 2 store to AWS EC2 Auto Scaling without downtime.",
        discussion: """
            Credentials and region come from the standard AWS configuration: AWS_ACCESS_KEY_ID / \
            AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws/{config,credentials}, the container \
            endpoint, or the EC2 instance role. AWS_REGION picks the region and \
            AWS_ENDPOINT_URL[_<SERVICE>] points a service at a local fake such as moto.
            """,
        subcommands: [CallCommand.self])
}
