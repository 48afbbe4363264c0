// The brand's organisation documents: the brand, its stores and its staff (guides and operators).

/** The brand (collection `brands`). */
export type Brand = {
  _id: string;
  name: string;
  slogan: string;
  logo: string;
  servicePhone: string;
  createdAt: number;
};

/** A store (collection `stores`). */
export type Store = {
  _id: string;
  brandId: string;
  name: string;
  city: string;
  district: string;
  address: string;
  phone: string;
  openHours: string;
  createdAt: number;
};

/** A staff member (collection `staff`, id = their OPENID): a guide belongs to one store, an operator to none. */
export type Staff = {
  _id: string;
  openid: string;
  role: 'guide' | 'operator';
  storeId: string | null;
  name: string;
  active: boolean;
  createdAt: number;
  updatedAt?: number;
};

/** A customer's visit to a store, recorded when a guide scans their member code (one per member, store and day). */
export type StoreVisit = { _id: string; memberId: string; storeId: string; guideId: string; day: string; at: number };

/** A visit today (Shanghai `day`): its id is the unique key that keeps it to one a day. */
export function newStoreVisit(memberId: string, storeId: string, guideId: string, day: string, at: number): StoreVisit {
  return { _id: `${memberId}_${storeId}_${day}`, memberId, storeId, guideId, day, at };
}

/** A guide's note on a customer (collection `customer_notes`): seen by that store's guides only. */
export type CustomerNote = {
  _id: string;
  memberId: string;
  storeId: string;
  /** The guide's OPENID and name when written. */
  by: string;
  byName: string;
  text: string;
  at: number;
};

/** An operator's change (collection `ops_log`): who, what, on which document, the input, when. */
export type AuditEntry = { _id: string; by: string; what: string; ref: string; detail: unknown; at: number };
