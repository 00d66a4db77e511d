import DangolText
import Foundation

/// The encodings salon software exports in: UTF-8 (with or without the BOM
/// Excel adds) and CP949, the Windows superset of EUC-KR that older Korean
/// programs write. CP949 is decoded by glibc's iconv.
public enum TextEncoding: String, CaseIterable, Sendable {
    case utf8 = "utf-8"
    case cp949

    public func decode(_ bytes: [UInt8]) throws -> String {
        switch self {
        case .utf8:
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            guard let s = String(validating: body, as: UTF8.self) else {
                throw VaultError.invalidInput(Message("import.not_utf8"))
            }
            return s
        case .cp949:
            return try Self.iconv(bytes, from: "CP949")
        }
    }

    static func iconv(_ bytes: [UInt8], from: String) throws -> String {
        let cd = iconv_open("UTF-8", from)
        guard cd != iconv_t(bitPattern: -1) else {
            throw VaultError.invalidInput(Message("import.iconv_missing", ["encoding": from]))
        }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        var inLeft = input.count, outLeft = output.count
        let rc = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                return Glibc.iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            }
        }
        guard rc != -1, inLeft == 0 else {
            throw VaultError.invalidInput(
                Message("import.not_encoding", ["encoding": from, "byte": arg(bytes.count - inLeft + 1)]))

        }
        let produced = output.count - outLeft
        return String(decoding: output[..<produced].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
