import DangolCrypto
import DangolGit
import Foundation

/// Commit messages carry the operation and record ids, nothing else in
/// clear: no name, no phone, not even a field name. The human summary
/// ("phone changed, visit added") travels in the same message, encrypted
/// and bound to the commit's tree, as a `Dangol-Summary` trailer.
public struct CommitMessage: Equatable, Sendable {
    public var operation: String
    public var records: [RecordID]
    public var sealedSummary: [UInt8]?
    /// Extra clear trailers (`Dangol-Restored-From: <commit>`): ids only.
    public var trailers: [String] = []

    static let recordTrailer = "Dangol-Record: "
    static let summaryTrailer = "Dangol-Summary: v1."
    /// More ids than this in one commit are listed only in trailers.
    static let idsInSubject = 3

    public var text: String {
        var subject = operation
        if !records.isEmpty {
            subject += records.count <= Self.idsInSubject
                ? " " + records.map(\.hex).joined(separator: " ") : " \(records.count) records"
        }
        var lines = [subject, ""]
        lines += records.map { Self.recordTrailer + $0.hex }
        lines += trailers
        if let s = sealedSummary { lines.append(Self.summaryTrailer + Data(s).base64EncodedString()) }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func parse(_ message: String) -> CommitMessage {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        let op = lines.first.map { String($0.split(separator: " ").first ?? "") } ?? ""
        var ids = [RecordID]()
        var sealed: [UInt8]?
        var extra = [String]()
        for line in lines.dropFirst() {
            if line.hasPrefix(recordTrailer), let id = RecordID(hex: String(line.dropFirst(recordTrailer.count))) {
                ids.append(id)
            } else if line.hasPrefix(summaryTrailer) {
                sealed = Data(base64Encoded: String(line.dropFirst(summaryTrailer.count))).map(Array.init)
            } else if line.hasPrefix("Dangol-") {
                extra.append(String(line))
            }
        }
        return CommitMessage(operation: op, records: ids, sealedSummary: sealed, trailers: extra)
    }

    /// The associated data of a summary: it opens only on the tree it describes.
    static func summaryContext(tree: ObjectID) -> [UInt8] { Array("dangol-summary-v1".utf8) + tree.bytes }
}
