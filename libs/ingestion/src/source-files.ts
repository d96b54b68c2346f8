import { createReadStream } from 'node:fs';
import { readdir, stat, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';

export interface SourceFile {
  path: string;
  /** Each element is one message as a producer would send it. */
  messages: AsyncIterable<FileMessage>;
}

export interface FileMessage {
  body: Buffer;
  /** 1-based line of the file the message came from; null when the whole file is one message. */
  line: number | null;
}

const RECORD_FILE_EXTENSIONS = new Set(['.json', '.ndjson', '.jsonl', '.log', '.txt']);
/** Above this size a file is streamed line by line rather than read whole. */
const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;

/**
 * Expands files and folders (recursively, record files only, sorted for repeatability) into
 * messages: a file holding one JSON document (a CloudTrail delivery file, an EventBridge
 * envelope, one record) is one message; anything else is NDJSON or log lines, one message
 * per non-blank line.
 */
export async function readSourceFiles(paths: string[]): Promise<SourceFile[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) throw new Error(`no such file or folder: ${path}`);
    if (info.isDirectory()) files.push(...(await listRecordFiles(path)));
    else files.push(path);
  }
  return files.map((path) => ({ path, messages: messagesOf(path) }));
}

/** The message bodies of all files in order: what `ledger publish` sends. */
export async function* messageBodies(files: readonly SourceFile[]): AsyncIterable<Buffer> {
  for (const file of files) for await (const message of file.messages) yield message.body;
}

async function listRecordFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await listRecordFiles(path)));
    else if (RECORD_FILE_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
  }
  return found;
}

async function* messagesOf(path: string): AsyncIterable<FileMessage> {
  const size = (await stat(path)).size;
  if (size <= WHOLE_FILE_LIMIT) {
    const content = await readFile(path);
    const whole = content.toString('utf8');
    const text = whole.trim();
    if (text.startsWith('{') && isSingleJsonDocument(text)) {
      yield { body: Buffer.from(text, 'utf8'), line: null };
      return;
    }
    // Split the untrimmed text so that line numbers are the file's own (leading blank lines count).
    const lines = whole.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) if (lines[i]!.trim()) yield { body: Buffer.from(lines[i]!, 'utf8'), line: i + 1 };
    return;
  }
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim()) yield { body: Buffer.from(line, 'utf8'), line: number };
  }
}

function isSingleJsonDocument(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
