import DangolText
import Foundation

/// The page's files, embedded in the binary at build time (a copied
/// `dangol` still serves them): markup, style, script and icon. No font
/// or anything else comes from another origin.
enum Assets {
    struct Asset {
        let bytes: [UInt8]
        let type: String
    }

    static func named(_ name: String) -> Asset? {
        switch name {
        case "app.js": return Asset(bytes: PackageResources.app_js, type: "text/javascript; charset=utf-8")
        case "customers.js": return Asset(bytes: PackageResources.customers_js, type: "text/javascript; charset=utf-8")
        case "office.js": return Asset(bytes: PackageResources.office_js, type: "text/javascript; charset=utf-8")
        case "app.css": return Asset(bytes: PackageResources.app_css, type: "text/css; charset=utf-8")
        case "icon.svg": return Asset(bytes: PackageResources.icon_svg, type: "image/svg+xml")
        default: return nil
        }
    }

    /// The page in the reader's language, with the session's CSRF token and
    /// the catalogue's `web.` texts as a JSON data block (data, not script:
    /// the CSP allows no inline script, and this is never run).
    static func page(language: Language, csrf: String) -> String {
        let strings = Catalogue.table(language, prefix: "web.")
        let data = (try? JSONSerialization.data(withJSONObject: strings, options: [.sortedKeys])) ?? Data("{}".utf8)
        // "<" never appears raw inside the block, so no text can close it.
        let json = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
        var html = String(decoding: PackageResources.index_html, as: UTF8.self)
        for (name, value) in [("lang", language.rawValue), ("csrf", csrf), ("strings", json),
                              ("title", Catalogue.text("web.title", language: language))] {
            html = html.replacingOccurrences(of: "{{\(name)}}", with: value)
        }
        return html
    }
}
