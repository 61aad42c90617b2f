/** In-memory file tree behind the simulators' WebDAV: folders and files with etag, mtime and a
 * numeric file id (ownCloud's fileid), enough for PROPFIND, GET with Range and PUT. */
import { createHash } from 'node:crypto';

export interface FileNode {
  type: 'file' | 'dir';
  name: string;
  fileId: number;
  /** Seconds since the epoch, like ownCloud's mtime. */
  mtime: number;
  etag: string;
  content: Buffer;
  children: Map<string, FileNode>;
  parent: FileNode | undefined;
}

let nextFileId = 1000;

function newNode(type: 'file' | 'dir', name: string, parent: FileNode | undefined): FileNode {
  return {
    type,
    name,
    fileId: nextFileId++,
    mtime: Math.floor(Date.now() / 1000),
    etag: '',
    content: Buffer.alloc(0),
    children: new Map(),
    parent,
  };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

export function nodeSize(node: FileNode): number {
  if (node.type === 'file') return node.content.length;
  let total = 0;
  for (const child of node.children.values()) total += nodeSize(child);
  return total;
}

/** Recomputes etags up to the root: ownCloud propagates etag changes to every ancestor. */
function touch(node: FileNode | undefined): void {
  for (let n = node; n !== undefined; n = n.parent) {
    const h = createHash('sha1');
    h.update(`${n.fileId}:${n.mtime}:${nodeSize(n)}:${Date.now()}:${Math.random()}`);
    n.etag = h.digest('hex').slice(0, 13);
  }
}

export class FileTree {
  readonly root: FileNode = newNode('dir', '', undefined);

  constructor() {
    touch(this.root);
  }

  get(path: string): FileNode | undefined {
    let node: FileNode | undefined = this.root;
    for (const part of splitPath(path)) {
      node = node.children.get(part);
      if (node === undefined) return undefined;
    }
    return node;
  }

  mkdir(path: string): FileNode {
    let node = this.root;
    for (const part of splitPath(path)) {
      let child = node.children.get(part);
      if (child === undefined) {
        child = newNode('dir', part, node);
        node.children.set(part, child);
        touch(child);
      }
      if (child.type !== 'dir') throw new Error(`'${part}' is a file, not a folder`);
      node = child;
    }
    return node;
  }

  writeFile(path: string, content: string | Buffer): FileNode {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) throw new Error('a file needs a name');
    const dir = this.mkdir(parts.join('/'));
    let file = dir.children.get(name);
    if (file === undefined) {
      file = newNode('file', name, dir);
      dir.children.set(name, file);
    }
    if (file.type !== 'file') throw new Error(`'${name}' is a folder`);
    file.content = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    file.mtime = Math.floor(Date.now() / 1000);
    touch(file);
    return file;
  }

  /** Writes below an arbitrary node (a share root) instead of the tree root. */
  static writeBelow(base: FileNode, relPath: string, content: Buffer): FileNode | undefined {
    const parts = splitPath(relPath);
    const name = parts.pop();
    if (name === undefined) {
      if (base.type !== 'file') return undefined;
      base.content = content;
      base.mtime = Math.floor(Date.now() / 1000);
      touch(base);
      return base;
    }
    let dir = base;
    for (const part of parts) {
      const child = dir.children.get(part);
      if (child?.type !== 'dir') return undefined;
      dir = child;
    }
    if (dir.type !== 'dir') return undefined;
    let file = dir.children.get(name);
    if (file === undefined) {
      file = newNode('file', name, dir);
      dir.children.set(name, file);
    } else if (file.type !== 'file') return undefined;
    file.content = content;
    file.mtime = Math.floor(Date.now() / 1000);
    touch(file);
    return file;
  }

  /** Creates one folder below an existing folder of a share root (MKCOL). */
  static mkdirBelow(base: FileNode, relPath: string): FileNode | undefined {
    const parts = splitPath(relPath);
    const name = parts.pop();
    const parent = FileTree.resolveBelow(base, parts.join('/'));
    if (name === undefined || parent?.type !== 'dir' || parent.children.has(name)) return undefined;
    const dir = newNode('dir', name, parent);
    parent.children.set(name, dir);
    touch(dir);
    return dir;
  }

  static resolveBelow(base: FileNode, relPath: string): FileNode | undefined {
    let node: FileNode | undefined = base;
    for (const part of splitPath(relPath)) {
      if (part === '..') return undefined;
      node = node.children.get(part);
      if (node === undefined) return undefined;
    }
    return node;
  }
}

export function mimeTypeOf(node: FileNode): string {
  if (node.type === 'dir') return 'httpd/unix-directory';
  const ext = node.name.split('.').pop()?.toLowerCase() ?? '';
  const known: Record<string, string> = {
    txt: 'text/plain',
    md: 'text/markdown',
    pdf: 'application/pdf',
    odt: 'application/vnd.oasis.opendocument.text',
    json: 'application/json',
    png: 'image/png',
  };
  return known[ext] ?? 'application/octet-stream';
}
