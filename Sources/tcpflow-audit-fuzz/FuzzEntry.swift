import FlowAuditFuzzing

#if !FUZZING
import Foundation
#endif

// libFuzzer's entry point. Built by Fuzz/run.sh with -sanitize=fuzzer,address, -parse-as-library
// and -D FUZZING, so that libFuzzer supplies main. Built plainly (swift run tcpflow-audit-fuzz
// FILE…), the same target replays the inputs named on its command line once each, to reproduce
// a crash the fuzzer wrote.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if FUZZING
/// libFuzzer's driver (LLVM 11 and later), run from the entry point SwiftPM links an executable
/// product through (`<module>_main`), since -parse-as-library leaves no Swift main.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("tcpflow_audit_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { fuzzOneInput($0, $1) }
}
#else
@main
struct ReplayFuzzInputs {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("tcpflow-audit-fuzz: cannot read \(path)\n".utf8))
                exit(2)
            }
            let rendered = data.withUnsafeBytes { FuzzInput.run($0) }
            print("\(path): \(data.count) bytes in, \(rendered) bytes rendered")
        }
    }
}
#endif
