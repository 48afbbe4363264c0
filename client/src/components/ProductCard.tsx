import { Image, Text, View } from '@tarojs/components'
import { isRemoteImage } from '@/services/member'
import type { ProductSummary } from '@/services/shop'
import { yuan } from '@/utils/format'
import './ProductCard.scss'

// 商品图：远程图直接展示，否则用品类色块 + 名称首字占位（种子数据的相对路径在包内并不存在）
export function ProductPic(props: { src?: string; name: string; categoryId?: string; className?: string }) {
  const { src, name, categoryId, className = '' } = props
  if (isRemoteImage(src)) return <Image className={`product-pic ${className}`} src={src} mode="aspectFill" lazyLoad />
  return (
    <View className={`product-pic product-pic--ph product-pic--${categoryId ?? 'other'} ${className}`}>
      <Text className="product-pic__char">{name.slice(0, 1)}</Text>
    </View>
  )
}

// 商品卡片（首页宫格）：图、名称、会员价 + 划线原价、销量
export default function ProductCard({ product, onClick }: { product: ProductSummary; onClick: () => void }) {
  const p = product
  const hasMemberPrice = p.memberPrice > 0 && p.memberPrice < p.price
  return (
    <View className="product-card" data-id={p._id} onClick={onClick}>
      <ProductPic className="product-card__pic" src={p.images?.[0]} name={p.name} categoryId={p.categoryId} />
      <View className="product-card__body">
        <Text className="product-card__name">{p.name}</Text>
        <View className="product-card__foot">
          <Text className="product-card__price">{yuan(hasMemberPrice ? p.memberPrice : p.price)}</Text>
          {hasMemberPrice && <Text className="product-card__tag">会员价</Text>}
        </View>
        <View className="product-card__meta">
          {hasMemberPrice && <Text className="product-card__list">{yuan(p.price)}</Text>}
          <Text className="product-card__sales">{p.stock > 0 ? `已售 ${p.sales}` : '已售罄'}</Text>
        </View>
      </View>
    </View>
  )
}
