// Facts derived from a descriptor model are computed once per model (one parse per document
// version) and shared by every rule and editing feature that asks.
import { Descriptor } from './descriptor';

export function perModel<T>(compute: (doc: Descriptor) => T): (doc: Descriptor) => T {
  const cache = new WeakMap<Descriptor, T>();
  return (doc) => {
    let value = cache.get(doc);
    if (value === undefined) {
      value = compute(doc);
      cache.set(doc, value);
    }
    return value;
  };
}
