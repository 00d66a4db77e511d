import ArgumentParser
import DangolKit

/// An option's or argument's help from the catalogue, in the reader's
/// language (`dangol add --help` at a Korean counter reads Korean).
func help(_ key: String, value: String? = nil) -> ArgumentHelp {
    ArgumentHelp(Catalogue.text(key), valueName: value)
}
