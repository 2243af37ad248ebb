/**
 * External ids are strings at the edges; inside, everything works on dense Int32 indices.
 * `ExternalId` and `Index` are branded so that the two cannot be mixed up silently.
 */
export type ExternalId = string & { readonly __brand: 'ExternalId' };
export type UserIndex = number & { readonly __brand: 'UserIndex' };
export type ItemIndex = number & { readonly __brand: 'ItemIndex' };

/** Bidirectional map between external string ids and dense indices 0..size-1 (insertion order). */
export class IdMap {
  private readonly toIndex = new Map<string, number>();
  private readonly toId: string[] = [];

  static fromIds(ids: Iterable<string>): IdMap {
    const m = new IdMap();
    for (const id of ids) m.add(id);
    return m;
  }

  get size(): number {
    return this.toId.length;
  }

  /** Index of `id`, adding it when new. */
  add(id: string): number {
    let i = this.toIndex.get(id);
    if (i === undefined) {
      i = this.toId.length;
      this.toIndex.set(id, i);
      this.toId.push(id);
    }
    return i;
  }

  /** Index of `id`, or -1 when unknown. */
  index(id: string): number {
    return this.toIndex.get(id) ?? -1;
  }

  has(id: string): boolean {
    return this.toIndex.has(id);
  }

  /** External id of index `i`; throws RangeError for an index outside the map. */
  id(i: number): string {
    const v = this.toId[i];
    if (v === undefined) throw new RangeError(`index ${i} is outside the id map (size ${this.size})`);
    return v;
  }

  ids(): readonly string[] {
    return this.toId;
  }
}
