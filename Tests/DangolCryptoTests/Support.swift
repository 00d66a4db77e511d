import DangolCrypto
import XCTest

/// Guarded bytes from a literal; the temporary array is wiped by the init.
func secure(_ bytes: [UInt8]) throws -> SecureBytes {
    var copy = bytes
    return try SecureBytes(consuming: &copy)
}

func secure(_ text: String) throws -> SecureBytes { try secure(Array(text.utf8)) }

/// Asserts that `body` throws exactly `expected`.
func XCTAssertThrowsCryptoError<T>(
    _ expected: CryptoError, _ body: @autoclosure () throws -> T, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertThrowsError(try body(), message, file: file, line: line) { error in
        XCTAssertEqual(error as? CryptoError, expected, message, file: file, line: line)
    }
}
