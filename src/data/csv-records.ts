import { parse } from 'csv-parse/sync';
import { DataError } from '../errors';

/**
 * CSV records for the bar loader: the header's fields, then each data record as offsets into
 * the text with the physical line it starts on. Two splitters give the same records: quote-free
 * text is split by hand (about ten times faster than csv-parse), quoted text goes through csv-parse.
 */

/**
 * One record: its fields are `src.slice(starts[i], ends[i])` for i < count (only the first
 * `starts.length` offsets are stored; `count` may be larger). `raw` is the record as text.
 */
export interface RecordView {
  src: string;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  rawStart: number;
  rawEnd: number;
}

/** Receives the header's fields, then each data record with the physical line it starts on. */
export interface RecordSink {
  header(fields: string[]): number;
  record(view: RecordView, line: number): void;
}

/** Quote-free text: lines and commas are split by hand, without making a string per field. Handles LF and CRLF. */
export function splitPlain(text: string, length: number, sink: RecordSink): void {
  let lineStart = 0;
  let line = 1;
  let view: RecordView | undefined;
  while (lineStart < length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > length) lineEnd = length;
    const next = lineEnd + 1;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (view === undefined) {
      const slots = sink.header(text.slice(lineStart, lineEnd).split(','));
      view = { src: text, starts: new Int32Array(slots), ends: new Int32Array(slots), count: 0, rawStart: 0, rawEnd: 0 };
    } else {
      const { starts, ends } = view;
      const slots = starts.length;
      let count = 0;
      let fieldStart = lineStart;
      for (let comma = text.indexOf(',', lineStart); comma !== -1 && comma < lineEnd; comma = text.indexOf(',', comma + 1)) {
        if (count < slots) {
          starts[count] = fieldStart;
          ends[count] = comma;
        }
        count++;
        fieldStart = comma + 1;
      }
      if (count < slots) {
        starts[count] = fieldStart;
        ends[count] = lineEnd;
      }
      view.count = count + 1;
      view.rawStart = lineStart;
      view.rawEnd = lineEnd;
      sink.record(view, line);
    }
    lineStart = next;
    line++;
  }
}

/** Text with quotes: csv-parse, with the start line of each record computed from byte offsets. */
export function splitQuoted(text: string, file: string, sink: RecordSink): void {
  const buffer = Buffer.from(text, 'utf8');
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(buffer, { info: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw new DataError(`is not valid CSV: ${(error as Error).message}`, file, lines);
  }
  let offset = 0;
  let line = 1;
  let view: RecordView | undefined;
  for (const { record, info } of records) {
    if (view === undefined) {
      const slots = sink.header(record);
      view = { src: '', starts: new Int32Array(slots), ends: new Int32Array(slots), count: 0, rawStart: 0, rawEnd: 0 };
    } else {
      let position = 0;
      for (let i = 0; i < record.length && i < view.starts.length; i++) {
        view.starts[i] = position;
        position += record[i].length;
        view.ends[i] = position;
        position++; // the ',' of join
      }
      view.src = record.join(',');
      view.count = record.length;
      view.rawStart = 0;
      view.rawEnd = view.src.length;
      sink.record(view, line);
    }
    for (let i = offset; i < info.bytes; i++) if (buffer[i] === 10) line++;
    offset = info.bytes;
  }
}
