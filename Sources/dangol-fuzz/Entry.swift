// dangol-fuzz: the parsers of dangol under a fuzzer.
//
// Built by scripts/fuzz.sh with -sanitize=fuzzer,address and -D DANGOL_LIBFUZZER,
// it is a libFuzzer binary (libFuzzer brings `main`); DANGOL_FUZZ_TARGET picks
// the parser:
//   DANGOL_FUZZ_TARGET=csv dangol-fuzz [libFuzzer flags] CORPUS_DIR...
// Built normally (swift build), it makes the seed corpus and replays inputs,
// so that a crash libFuzzer saved becomes a regression test:
//   dangol-fuzz seeds DIR                 one folder of seeds per target
//   dangol-fuzz replay TARGET FILE...     runs each file through TARGET
import Foundation

#if DANGOL_LIBFUZZER
import CFuzzer

private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["DANGOL_FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        fatalError("set DANGOL_FUZZ_TARGET to one of: \(names)")
    }
    return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// SwiftPM gives an executable its own `main` (renamed at link time), so
/// libFuzzer's `main` stays out and its driver is started from here.
@main
enum FuzzCommand {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
    }
}
#else
@main
enum FuzzCommand {
    static func main() throws {
        let args = Array(CommandLine.arguments.dropFirst())
        switch (args.first, args.count) {
        case ("seeds", 2):
            try Seeds.write(to: args[1])
        case ("replay", 3...):
            guard let target = FuzzTarget(rawValue: args[1]) else { usage() }
            var parsed = 0
            for file in args.dropFirst(2) {
                guard let bytes = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("dangol-fuzz: error: cannot read \(file)\n".utf8))
                    exit(2)
                }
                if target.run(Array(bytes)) { parsed += 1 }
            }
            print("\(args.count - 2) inputs, \(parsed) parsed, the rest refused, no crash")
        default:
            usage()
        }
    }

    static func usage() -> Never {
        let targets = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
        FileHandle.standardError.write(
            Data("usage: dangol-fuzz seeds DIR | dangol-fuzz replay \(targets) FILE...\n".utf8))
        exit(2)
    }
}
#endif
