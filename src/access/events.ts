// In-process notice that a centre's PCs changed, for the desk grid's event stream. A server
// runs one process per centre database, so an EventEmitter is enough; the grid also re-reads
// the database on each notice, so nothing is lost if a notice is.

import { EventEmitter } from "node:events";

const bus = new EventEmitter();
bus.setMaxListeners(0);

export function pcsChanged(centreId: string): void {
  bus.emit(`pcs:${centreId}`);
}

export function onPcsChanged(centreId: string, listener: () => void): () => void {
  bus.on(`pcs:${centreId}`, listener);
  return () => bus.off(`pcs:${centreId}`, listener);
}
