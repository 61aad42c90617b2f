/** OCS envelope (JSON and XML), status codes and the v1/v2 HTTP mapping. */
export * from './ocs-status.ts';
export * from './ocs-envelope.ts';
export { readXml, type XmlElement } from './ocs-xml-reader.ts';
