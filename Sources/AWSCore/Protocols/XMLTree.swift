import CLibXML2
import Foundation

/// An XML element: local name (namespace prefixes dropped), child elements and text.
public final class XMLTreeElement: @unchecked Sendable {
    /// The element's local name.
    public let name: String
    /// Child elements, in document order.
    public internal(set) var children: [XMLTreeElement] = []
    /// The element's own text (text and CDATA directly inside it, concatenated).
    public internal(set) var text: String = ""

    init(name: String) {
        self.name = name
    }

    /// The first child called `name`.
    public func child(_ name: String) -> XMLTreeElement? {
        children.first { $0.name == name }
    }

    /// Every child called `name`.
    public func children(named name: String) -> [XMLTreeElement] {
        children.filter { $0.name == name }
    }
}

/// Why an XML body could not be read. No entity is ever expanded and no DTD is ever loaded.
public struct XMLDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of rejection.
    public enum Kind: Sendable, Equatable {
        /// The body is larger than the decoder accepts.
        case tooLarge
        /// The document declares a DTD or entities, which AWS never sends.
        case forbiddenDeclaration
        /// Elements nest deeper than the decoder accepts.
        case tooDeep
        /// The bytes are not well-formed XML (including truncation and invalid UTF-8).
        case malformed
        /// The XML is well-formed but not the response the operation expects.
        case unexpectedContent
    }

    /// The kind.
    public var kind: Kind
    /// Details for a person.
    public var detail: String

    public init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "XML response could not be decoded: \(detail)" }
}

/// Reads XML into an ``XMLTreeElement`` tree with libxml2's streaming reader, within limits.
public struct XMLTreeReader: Sendable {
    /// The largest body accepted, in bytes.
    public var maxBytes: Int
    /// The deepest element nesting accepted.
    public var maxDepth: Int

    /// Creates a reader; the defaults are far above any AWS response this package decodes.
    public init(maxBytes: Int = 64 << 20, maxDepth: Int = 100) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// libxml2's one-time initialisation, which its documentation asks for before threads use it.
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Parses `bytes` and returns the root element.
    public func parse(_ bytes: [UInt8]) throws(XMLDecodeError) -> XMLTreeElement {
        guard bytes.count <= maxBytes else {
            throw XMLDecodeError(kind: .tooLarge, detail: "the body is \(bytes.count) bytes; the limit is \(maxBytes)")
        }
        // AWS never sends a DTD: refuse any declaration before libxml2 sees it.
        if Self.contains(bytes, "<!DOCTYPE") || Self.contains(bytes, "<!ENTITY") {
            throw XMLDecodeError(kind: .forbiddenDeclaration, detail: "the document declares a DTD or entities")
        }
        _ = Self.initialized
        // NONET: no network access; no NOENT (entities are never substituted), no DTDLOAD/DTDATTR.
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
        let reader: xmlTextReaderPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReaderForMemory($0, Int32(buffer.count), nil, "UTF-8", options)
            }
        }
        guard let reader else {
            throw XMLDecodeError(kind: .malformed, detail: bytes.isEmpty ? "the body is empty" : "libxml2 could not start reading")
        }
        defer { xmlFreeTextReader(reader) }

        var stack: [XMLTreeElement] = []
        var root: XMLTreeElement?
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 { throw XMLDecodeError(kind: .malformed, detail: Self.lastError()) }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let element = XMLTreeElement(name: xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "")
                if let parent = stack.last {
                    parent.children.append(element)
                } else if root == nil {
                    root = element
                } else {
                    throw XMLDecodeError(kind: .malformed, detail: "more than one root element")
                }
                if xmlTextReaderIsEmptyElement(reader) != 1 {
                    stack.append(element)
                    if stack.count > maxDepth {
                        throw XMLDecodeError(kind: .tooDeep, detail: "elements nest deeper than \(maxDepth) levels")
                    }
                }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                _ = stack.popLast()
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int32(XML_READER_TYPE_WHITESPACE.rawValue):
                if let element = stack.last, let value = xmlTextReaderConstValue(reader) {
                    element.text += String(cString: value)
                }
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue), Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue),
                 Int32(XML_READER_TYPE_ENTITY.rawValue):
                throw XMLDecodeError(kind: .forbiddenDeclaration, detail: "the document uses a DTD or entities")
            default:
                break
            }
        }
        guard let root else { throw XMLDecodeError(kind: .malformed, detail: "the document has no root element") }
        return root
    }

    private static func lastError() -> String {
        guard let error = xmlGetLastError(), let message = error.pointee.message else { return "the XML is not well-formed" }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return "line \(error.pointee.line): \(text)"
    }

    private static func contains(_ bytes: [UInt8], _ needle: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard bytes.count >= pattern.count else { return false }
        return bytes.withUnsafeBufferPointer { haystack in
            var start = haystack.baseAddress!
            let end = haystack.baseAddress! + (haystack.count - pattern.count + 1)
            while start < end {
                // memchr finds each candidate '<' at memory speed; then compare the rest.
                guard let hit = memchr(start, Int32(pattern[0]), end - start) else { return false }
                let candidate = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(candidate, pattern.baseAddress!, pattern.count) == 0 { return true }
                start = candidate + 1
            }
            return false
        }
    }
}
