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
