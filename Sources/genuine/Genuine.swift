import ArgumentParser
import Photo

/// `genuine`: read QR codes from package photos and judge whether the tin is genuine.
@main
struct Genuine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genuine",
        abstract: "Read QR codes on package photos and verify the product they name.",
        version: "0.1.0",
        subcommands: [
            DecodeCommand.self, EncodeCommand.self, IssueCommand.self, VerifyCommand.self, ImportEPCISCommand.self, RecallCommand.self, CaseCommand.self,
            KeyCommand.self, StressSetCommand.self, DemoCommand.self,
            BatchCommand.self, ServeCommand.self,
        ]
    )

    static func main() {
        AllocatorTuning.keepFreedMemoryForNextPhoto()
        main(nil)
    }
}
