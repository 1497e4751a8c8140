import ServiceLifecycle

/// A source run as one of the daemon's services: its units go to the processor every source
/// shares, and graceful shutdown reaches the source (which finishes the unit in hand).
package struct SourceService: Service {
    let source: any UnitSource
    let intake: any UnitIntake

    package init(source: any UnitSource, intake: any UnitIntake) {
        self.source = source
        self.intake = intake
    }

    package func run() async throws {
        try await source.run(intake: intake)
    }
}
