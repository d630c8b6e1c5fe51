// A learner's course progress in this browser: a log of events under one localStorage key,
// "lossref-course", as {"version": N, "events": [...]} (the format is lossref.practice.course's,
// whose STORE_VERSION the build writes into the page; Python rebuilds levels, gates and reviews
// from the log and upgrades a log of an older version).
//
// Keeping the log rather than the levels makes the hard cases simple:
// - two tabs: before each write the store reads what is saved and writes the union, and a tab that
//   sees another tab's write (the "storage" event) takes its events and writes back any of its own
//   that were missing, so neither tab overwrites the other;
// - export and import: the file is the log, and importing merges it with what is here;
// - a saved entry that cannot be read is copied to a backup key, reported, and replaced with a
//   fresh log: the page never breaks on it and the learner's data is never thrown away.
export const KEY = "lossref-course";
export const BACKUP_PREFIX = "lossref-course:backup:";
const MAX_BACKUPS = 5;

/** The saved record's shape, checked before use; throws an Error saying what is wrong. (Python's
 * lossref.practice.course.load checks every event in depth and upgrades older versions.) */
export function parseRecord(text, newest) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`it is not JSON (${err.message})`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new Error("it is not a JSON object");
  if (!Number.isInteger(data.version) || data.version < 1) throw new Error(`it has no version number (found ${JSON.stringify(data.version)})`);
  if (data.version > newest) throw new Error(`it was saved by a newer version of this site (version ${data.version}; this one reads up to ${newest})`);
  if (!Array.isArray(data.events)) throw new Error("it has no list of events");
  data.events.forEach((event, index) => {
    if (event === null || typeof event !== "object" || typeof event.id !== "string" || typeof event.at !== "string") {
      throw new Error(`event ${index} has no id or time`);
    }
  });
  return data;
}

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const byTime = (a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class ProgressStore extends EventTarget {
  /** Dispatches "change" when the log changes (with detail.external when another tab changed it)
   * and "problem" with
   * {detail: {message, backupKey}} when a saved entry could not be read or written. */
  /** `version`: the record format this site writes (lossref.practice.course.STORE_VERSION). */
  constructor(storage, version) {
    super();
    if (!Number.isInteger(version) || version < 1) throw new Error(`the store needs the record version; got ${version}`);
    this.storage = storage;
    this.newest = version;
    this.version = version; // of the events held: older until Python has upgraded them (upgrade())
    this.events = new Map();
    this.available = true;
    this.problem = null;
    this.readSaved();
    globalThis.addEventListener?.("storage", (event) => this.onStorage(event));
  }

  /** The log, oldest first, as the stored record. */
  get record() {
    return { version: this.version, events: [...this.events.values()].sort(byTime) };
  }

  get size() {
    return this.events.size;
  }

  readSaved() {
    let raw;
    try {
      raw = this.storage.getItem(KEY);
    } catch {
      this.available = false; // storage disabled: progress lasts as long as the page
      return;
    }
    if (raw === null) return;
    try {
      this.absorb(parseRecord(raw, this.newest));
    } catch (err) {
      this.quarantine(raw, `Your saved progress could not be read: ${err.message}.`);
    }
  }

  /** Copy `raw` to a new backup key (the last MAX_BACKUPS are kept) and return the key. */
  backUp(raw) {
    const backupKey = `${BACKUP_PREFIX}${new Date().toISOString()}`;
    this.storage.setItem(backupKey, raw);
    this.pruneBackups();
    return backupKey;
  }

  /** Keep an unreadable saved entry under a backup key, report it, and start afresh. */
  quarantine(raw, message) {
    let backupKey = "(not saved: storage is full or disabled)";
    try {
      backupKey = this.backUp(raw);
      this.storage.removeItem(KEY);
    } catch {
      // full or disabled: the entry stays where it is, and the page still works from a fresh log
    }
    this.events.clear();
    this.version = this.newest;
    this.report(`${message} It was kept as a backup under the key “${backupKey}”, and your progress starts afresh.`, backupKey);
    this.dispatchEvent(new Event("change"));
  }

  pruneBackups() {
    const keys = [];
    for (let i = 0; i < this.storage.length; i += 1) {
      const key = this.storage.key(i);
      if (key?.startsWith(BACKUP_PREFIX)) keys.push(key);
    }
    keys.sort().slice(0, Math.max(0, keys.length - MAX_BACKUPS)).forEach((key) => this.storage.removeItem(key));
  }

  report(message, backupKey = null) {
    this.problem = { message, backupKey };
    this.dispatchEvent(new CustomEvent("problem", { detail: this.problem }));
  }

  /** Add the events of `record` we did not have; returns how many were new. Records of two versions
   * differ only in their gate events (session numbers): the newer version's gates are the ones that
   * count, and the answers of both are kept. */
  absorb(record) {
    let { events } = record;
    if (record.version > this.version || this.events.size === 0) {
      if (this.events.size && record.version > this.version) {
        for (const [id, event] of this.events) if (event.type === "gate") this.events.delete(id);
      }
      this.version = Math.max(record.version, this.events.size ? this.version : record.version);
    } else if (record.version < this.version) {
      events = events.filter((event) => event.type !== "gate");
    }
    let added = 0;
    for (const event of events) {
      if (!this.events.has(event.id)) {
        this.events.set(event.id, event);
        added += 1;
      }
    }
    return added;
  }

  /** Record one event (an answer or a passed gate) and save. */
  add(event) {
    const full = { id: newId(), at: new Date().toISOString(), ...event };
    this.events.set(full.id, full);
    this.save();
    this.dispatchEvent(new Event("change"));
    return full;
  }

  /** Merge a record from elsewhere (an imported file, Python's upgraded record) and save. */
  merge(record) {
    const added = this.absorb(record);
    this.save();
    if (added) this.dispatchEvent(new Event("change"));
    return added;
  }

  save() {
    if (!this.available) return;
    try {
      // Another tab may have saved since this one last read: take its events first.
      const raw = this.storage.getItem(KEY);
      if (raw !== null) {
        try {
          this.absorb(parseRecord(raw, this.newest));
        } catch (err) {
          this.quarantineKeeping(raw, err);
        }
      }
      this.storage.setItem(KEY, JSON.stringify(this.record));
    } catch (err) {
      this.report(`Your progress could not be saved in this browser (${err.name}: ${err.message}). ` +
        "Export it to a file to keep it.");
    }
  }

  /** An unreadable entry found while saving: back it up, keeping this tab's own events. */
  quarantineKeeping(raw, err) {
    const backupKey = this.backUp(raw);
    this.report(`The saved progress had become unreadable (${err.message}). It was kept as a backup under the key “${backupKey}”.`, backupKey);
  }

  onStorage(event) {
    if (event.storageArea !== this.storage || (event.key !== KEY && event.key !== null)) return;
    if (event.newValue === null) {
      // Progress was cleared in another tab, on purpose: follow it.
      this.events.clear();
      this.dispatchEvent(new CustomEvent("change", { detail: { external: true } }));
      return;
    }
    let theirs;
    try {
      theirs = parseRecord(event.newValue, this.newest);
    } catch {
      return; // the tab that wrote it deals with it on its next read
    }
    const added = this.absorb(theirs);
    const saved = new Set(theirs.events.map((e) => e.id));
    // Events of this tab that the other tab's write did not have: write the union back.
    if ([...this.events.keys()].some((id) => !saved.has(id))) this.save();
    if (added) this.dispatchEvent(new CustomEvent("change", { detail: { external: true } }));
  }

  /** Start over. What was saved is kept as a backup first. */
  clear() {
    try {
      const raw = this.storage.getItem(KEY);
      if (raw !== null) this.backUp(raw);
      this.storage.removeItem(KEY);
    } catch {
      // disabled storage: only the page's copy is cleared
    }
    this.events.clear();
    this.version = this.newest;
    this.problem = null;
    this.dispatchEvent(new Event("change"));
  }

  exportText() {
    return `${JSON.stringify(this.record, null, 1)}\n`;
  }
}
