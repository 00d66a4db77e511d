// swift-tools-version:6.1
import PackageDescription

// Built and tested on Debian and Ubuntu Linux only (make test); no other
// platform is claimed. The code reads /proc, Linux's termios and prctl.
let package = Package(
    name: "dangol",
    products: [
        .executable(name: "dangol", targets: ["dangol"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        // The front desk's HTTP server. Without its swift-configuration trait: the server
        // takes its few settings from `dangol serve`'s flags, not from a configuration reader.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // The two C libraries, reached only through their wrapper targets.
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .systemLibrary(
            name: "CLibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // Process hardening (no core dumps); header-only, nothing to link.
        .systemLibrary(name: "CHardening"),
        .target(name: "DangolCrypto", dependencies: ["CSodium"]),
        // The one message catalogue (Korean and English) of the command line and the page.
        .target(name: "DangolText", exclude: ["GLOSSARY.md"], resources: [.embedInCode("catalogue.json")]),
        .target(name: "DangolGit", dependencies: ["CLibgit2", "CCrypto"]),
        // The user-facing templates live at the repository root and are embedded
        // into the binary at build time, so a copied `dangol` still has them.
        .target(
            name: "DangolTemplates",
            path: "templates",
            exclude: ["README.md"],
            sources: ["Templates.swift"],
            resources: [
                .embedInCode("customer.json"),
                .embedInCode("visit.json"),
                .embedInCode("consent-ko.json"),
                .embedInCode("consent-en.json"),
                .embedInCode("export.md.mustache"),
                .embedInCode("export.html.mustache"),
                .embedInCode("privacy-ko.md.mustache"),
                .embedInCode("privacy-en.md.mustache"),
            ]
        ),
        .target(
            name: "DangolKit",
            dependencies: [
                "DangolCrypto", "DangolGit", "DangolTemplates", "DangolText", "CHardening",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.embedInCode("Policy/common-passwords.txt")]
        ),
        // The front desk (`dangol serve`): a loopback HTTP server and its page, every
        // asset embedded so a copied binary still serves them.
        .target(
            name: "DangolServer",
            dependencies: [
                "DangolKit", "DangolText", "DangolCrypto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [
                .embedInCode("Assets/index.html"),
                .embedInCode("Assets/app.js"),
                .embedInCode("Assets/customers.js"),
                .embedInCode("Assets/office.js"),
                .embedInCode("Assets/app.css"),
                .embedInCode("Assets/icon.svg"),
            ]
        ),
        .executableTarget(
            name: "dangol",
            dependencies: [
                "DangolKit", "DangolText", "DangolServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fixed-seed synthetic salon data: never real people.
        .target(name: "DangolSynth", dependencies: ["DangolKit"]),
        .executableTarget(name: "dangol-synth", dependencies: ["DangolSynth", "DangolKit", "DangolText"]),
        .executableTarget(name: "dangol-bench", dependencies: ["DangolSynth", "DangolKit"]),
        .executableTarget(name: "dangol-bench-search", dependencies: ["DangolSynth", "DangolKit"]),
        // The parsers under libFuzzer (scripts/fuzz.sh); a normal build makes
        // seeds and replays saved inputs. CFuzzer only declares libFuzzer's driver.
        .systemLibrary(name: "CFuzzer"),
        .executableTarget(
            name: "dangol-fuzz", dependencies: ["DangolSynth", "DangolKit", "DangolCrypto", "DangolGit", "CFuzzer"]),
        .testTarget(name: "DangolCryptoTests", dependencies: ["DangolCrypto"]),
        .testTarget(name: "DangolTextTests", dependencies: ["DangolText"]),
        .testTarget(name: "DangolGitTests", dependencies: ["DangolGit"]),
        .testTarget(name: "DangolKitTests", dependencies: ["DangolKit", "DangolSynth"]),
        // DangolCrypto: the leak scan opens the vault key to look for it.
        // Fixtures: vaults a dangol of format 1 wrote (read in place by the migration tests).
        .testTarget(name: "dangolTests", dependencies: ["DangolSynth", "DangolCrypto"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
