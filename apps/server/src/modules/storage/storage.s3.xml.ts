import { XMLParser } from 'fast-xml-parser';
import { StorageError } from './storage.errors.ts';

/** XML for the S3 protocol: a tiny escaping builder for answers, a hardened parser for requests. */

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

// XML 1.0 cannot carry most control characters; S3 keys may. Emit them as character references.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const SPECIAL = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;

export function escapeXml(value: string): string {
  return value.replace(SPECIAL, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        return `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`;
    }
  });
}

/** `<Name>escaped value</Name>`; null/undefined → empty string (element omitted). */
export function tag(name: string, value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<Name>children…</Name>` where children are already-built XML. */
export function node(name: string, children: string | readonly string[]): string {
  return `<${name}>${typeof children === 'string' ? children : children.join('')}</${name}>`;
}

export function xmlDocument(root: string, children: string | readonly string[], namespaced = true): string {
  const body = typeof children === 'string' ? children : children.join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${namespaced ? ` xmlns="${S3_NS}"` : ''}>${body}</${root}>`;
}

const ARRAY_TAGS = new Set([
  'Part',
  'Object',
  'CORSRule',
  'AllowedOrigin',
  'AllowedMethod',
  'AllowedHeader',
  'ExposeHeader',
  'Tag',
]);

const NAMED_REFERENCES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&([^;&\s]*);?/g;

/**
 * Decode XML references in one pass: the five predefined entities and numeric character references
 * (`&#34;`, `&#x22;`), as Go's encoding/xml (rclone, minio-go…), the Java and .NET SDKs write them.
 * A reference to anything else (HTML names, an unterminated `&`, a code point XML cannot name) is
 * not well-formed XML: MalformedXML. Exported for tests; the parser calls it on every text node
 * (CDATA sections are left as they are, as XML says).
 */
export function decodeXmlReferences(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(REFERENCE, (whole, name: string) => {
    if (!whole.endsWith(';')) throw malformed();
    const named = NAMED_REFERENCES[name];
    if (named !== undefined) return named;
    let code = Number.NaN;
    if (/^#[0-9]{1,7}$/.test(name)) code = Number.parseInt(name.slice(1), 10);
    else if (/^#x[0-9a-fA-F]{1,6}$/.test(name)) code = Number.parseInt(name.slice(2), 16);
    if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) throw malformed();
    return String.fromCodePoint(code);
  });
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  processEntities: true,
  // fast-xml-parser decodes numeric references only together with all of HTML's names; XML wants
  // exactly the five predefined names plus numeric references, so we bring our own decoder.
  entityDecoder: {
    decode: decodeXmlReferences,
    reset: () => {},
    setExternalEntities: () => {},
    addInputEntities: () => {},
    setXmlVersion: () => {},
  },
  removeNSPrefix: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [key: string]: XmlValue;
}

/**
 * Parse a request body. DOCTYPE (entity definitions) is refused outright; anything that is not
 * well-formed XML with the expected root answers MalformedXML.
 */
export function parseXml(body: Buffer | string, root: string): XmlObject {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text))
    throw new StorageError('MalformedXML', 'The XML you provided must not contain a DOCTYPE declaration.');
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch {
    throw malformed();
  }
  if (doc === null || typeof doc !== 'object') throw malformed();
  const value = (doc as Record<string, unknown>)[root];
  if (value === '' || value === undefined) {
    if (root in (doc as object)) return {};
    throw malformed();
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw malformed();
  return value as XmlObject;
}

export function malformed(): StorageError {
  return new StorageError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema.',
  );
}

/** Text content of a child element (undefined if absent; objects are malformed). */
export function text(obj: XmlObject, name: string): string | undefined {
  const v = obj[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return '';
  throw malformed();
}

/** Child elements with the given name, as objects. */
export function children(obj: XmlObject, name: string): XmlObject[] {
  const v = obj[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((item) => {
    if (item === '') return {};
    if (typeof item !== 'object' || Array.isArray(item)) throw malformed();
    return item;
  });
}

/** Repeated text elements (AllowedOrigin…). */
export function texts(obj: XmlObject, name: string): string[] {
  const v = obj[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((item) => {
    if (typeof item !== 'string') throw malformed();
    return item;
  });
}
