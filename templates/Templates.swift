// The documents a new vault starts from. They are embedded into the binary at
// build time (SwiftPM `embedInCode`), so a `dangol` copied anywhere has them.
import Foundation

public enum Templates {
    /// Every template as (file name, bytes), in the order `init` copies them.
    public static let all: [(name: String, bytes: [UInt8])] = [
        ("customer.json", PackageResources.customer_json),
        ("visit.json", PackageResources.visit_json),
        ("consent-ko.json", PackageResources.consent_ko_json),
        ("consent-en.json", PackageResources.consent_en_json),
        ("export.md.mustache", PackageResources.export_md_mustache),
        ("export.html.mustache", PackageResources.export_html_mustache),
        ("privacy-ko.md.mustache", PackageResources.privacy_ko_md_mustache),
        ("privacy-en.md.mustache", PackageResources.privacy_en_md_mustache),
    ]

    public static func named(_ name: String) -> [UInt8]? {
        all.first { $0.name == name }?.bytes
    }
}
