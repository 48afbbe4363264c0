import { Text, View } from '@tarojs/components'
import { Button, Empty } from './nut'
import './ErrorView.scss'

// 加载失败占位：错误信息 + 错误码 + 重试（id 为 <idPrefix>-error / <idPrefix>-error-code）
export default function ErrorView(props: { code: string; message: string; onRetry?: () => void; idPrefix?: string }) {
  const { code, message, onRetry, idPrefix = 'page' } = props
  return (
    <View className="error-view">
      <Empty
        status="error"
        imageSize={100}
        image={<View className="error-view__badge">!</View>}
        title={
          <Text className="error-view__message" id={`${idPrefix}-error`}>
            {message}
          </Text>
        }
        description={
          <Text className="error-view__code" id={`${idPrefix}-error-code`}>
            错误码：{code}
          </Text>
        }
      />
      {onRetry && (
        <View className="error-view__retry">
          <Button type="primary" size="small" onClick={onRetry}>
            重新加载
          </Button>
        </View>
      )}
    </View>
  )
}
