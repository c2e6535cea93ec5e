import AWSCore
import Foundation
import Testing

/// Bodies an attacker (or a broken proxy) could send instead of an AWS response. Each must end in
/// a typed ``XMLDecodeError`` quickly and without expanding anything.
@Suite("Hostile XML")
struct HostileXMLTests {
    let reader = XMLTreeReader()

    private func expectRejected(_ body: String, as kind: XMLDecodeError.Kind, sourceLocation: SourceLocation = #_sourceLocation) {
        expectRejected(Array(body.utf8), as: kind, sourceLocation: sourceLocation)
    }

    private func expectRejected(_ body: [UInt8], as kind: XMLDecodeError.Kind, sourceLocation: SourceLocation = #_sourceLocation) {
        let started = Date()
        do {
            let root = try reader.parse(body)
            Issue.record("accepted a hostile body; root <\(root.name)> text '\(root.text.prefix(80))'", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        }
        #expect(Date().timeIntervalSince(started) < 5, "rejection took too long", sourceLocation: sourceLocation)
    }

    @Test("a DOCTYPE or entity declaration is refused")
    func declarations() {
        expectRejected("<!DOCTYPE r><r/>", as: .forbiddenDeclaration)
        expectRejected("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>", as: .forbiddenDeclaration)
    }

    @Test("an external entity (XXE) is never loaded or expanded")
    func externalEntity() {
        expectRejected("<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]><r>&xxe;</r>", as: .forbiddenDeclaration)
        // Without a declaration the reference is simply an error, not a lookup.
        expectRejected("<r>&xxe;</r>", as: .malformed)
    }

    @Test("billion laughs is refused before any expansion, in UTF-8 or disguised as UTF-16")
    func billionLaughs() {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            doc += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
        }
        doc += "]>\n<lolz a=\"&lol9;\">&lol9;</lolz>"
        expectRejected(doc, as: .forbiddenDeclaration)
        // UTF-16 hides the declaration from a byte scan; the reader reads UTF-8 only, so it fails to parse.
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in doc.replacingOccurrences(of: "<?xml version=\"1.0\"?>", with: "<?xml version=\"1.0\" encoding=\"UTF-16\"?>").utf16 {
            utf16.append(UInt8(unit & 0xFF))
            utf16.append(UInt8(unit >> 8))
        }
        expectRejected(utf16, as: .malformed)
    }

    @Test("10,000 levels of nesting stop at the depth limit")
    func deepNesting() {
        let depth = 10_000
        let body = String(repeating: "<a>", count: depth) + "x" + String(repeating: "</a>", count: depth)
        expectRejected(body, as: .tooDeep)
    }

    @Test("a truncated document is malformed")
    func truncated() {
        expectRejected("<DescribeInstancesResponse><reservationSet><item><reservationId>r-1</reserv", as: .malformed)
        expectRejected("", as: .malformed)
    }

    @Test("invalid UTF-8 is malformed")
    func invalidUTF8() {
        expectRejected(Array("<r>".utf8) + [0xC3, 0x28, 0xFF, 0xFE] + Array("</r>".utf8), as: .malformed)
    }

    @Test("a 100 MB body is refused by size before parsing")
    func hugeBody() {
        // Built with one fill (element-wise appends are slow in debug builds).
        var body = [UInt8](repeating: 0x61, count: 100 << 20)
        body.replaceSubrange(0..<3, with: Array("<r>".utf8))
        body.replaceSubrange((body.count - 4)..<body.count, with: Array("</r>".utf8))
        expectRejected(body, as: .tooLarge)
    }

    @Test("ordinary XML with character references still parses")
    func ordinary() throws {
        let root = try reader.parse(Array("<r><m>a &amp; b &#x41;</m><n/></r>".utf8))
        #expect(root.child("m")?.text == "a & b A")
        #expect(root.child("n")?.text == "")
    }

    @Test("a hostile error body does not become an AWS error")
    func hostileErrorBody() {
        let decoder = XMLResponseDecoder(dialect: .awsQuery)
        let body = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><ErrorResponse><Error><Code>&x;</Code></Error></ErrorResponse>"
        #expect(decoder.decodeError(Array(body.utf8), operation: nil) == nil)
    }
}
