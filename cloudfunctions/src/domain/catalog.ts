// The catalogue documents: categories, products and their SKUs (what an operator sets up, the seed writes and the
// shop reads). Prices are fen; a product's price, member price and stock summarise its SKUs.

/** A product category (collection `categories`). */
export type Category = {
  _id: string;
  name: string;
  sort: number;
};

/** A product (collection `products`). */
export type Product = {
  _id: string;
  categoryId: string;
  name: string;
  /** The lowest SKU price, fen. */
  price: number;
  /** The lowest SKU member price, fen. */
  memberPrice: number;
  /** The sum of its SKUs' stock. */
  stock: number;
  images: string[];
  desc?: string;
  /** Its SKUs' specs, in order. */
  specs?: string[];
  onShelf: boolean;
  /** Quantity sold in completed orders. */
  sales: number;
  createdAt: number;
  updatedAt?: number;
};

/** A SKU of a product (collection `skus`, id `<productId>_<n>`). */
export type Sku = {
  _id: string;
  productId: string;
  spec: string;
  price: number;
  memberPrice: number;
  stock: number;
  onShelf: boolean;
  sales: number;
};
