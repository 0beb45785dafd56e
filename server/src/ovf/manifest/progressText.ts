// How hashing progress reads to a person, shared by the CLI and the editor: the same wording as a
// transfer's ("1.2 GiB / 4.0 GiB 30%, 850.0 MiB/s, ETA 0:03"), at the average rate so far.
import { describeBytesProgress, etaSeconds } from '../format/quantities';
import { HashProgress } from './hashFiles';

export function describeProgress(p: HashProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (p.bytesDone * 1000) / elapsedMs : undefined;
  return describeBytesProgress(p.bytesDone, p.bytesTotal, rate, etaSeconds(p.bytesTotal - p.bytesDone, rate));
}
