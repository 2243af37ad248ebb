/**
 * Reason messages in English and Russian. Placeholders `{name}` are filled from the evidence
 * (item and category placeholders through the caller's labels).
 */
export type Locale = 'en' | 'ru';

export const REASON_CODES = [
  'popular-in-category',
  'popular',
  'trending',
  'based-on-views',
  'similar-users',
  'bought-together',
  'similar-item',
  'similar-sessions',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const MESSAGES: Record<Locale, Record<ReasonCode, string>> = {
  en: {
    'popular-in-category': 'Popular in category {category} (#{rank} there)',
    popular: 'Popular with shoppers (#{rank}, {count} interactions)',
    trending: 'Trending: #{rank} in the last {days} days ({count} interactions)',
    'based-on-views': 'Based on your views of {item}',
    'similar-users': 'Users with similar interests also viewed this ({users} users)',
    'bought-together': 'Often bought together with {item} ({count} customers bought both)',
    'similar-item': 'Similar to {item}',
    'similar-sessions': 'Viewed in sessions like yours ({sessions} sessions)',
  },
  ru: {
    'popular-in-category': 'Популярно в категории {category} (№{rank} в ней)',
    popular: 'Популярно у покупателей (№{rank}, взаимодействий: {count})',
    trending: 'Сейчас в тренде: №{rank} за последние {days} дн. (взаимодействий: {count})',
    'based-on-views': 'На основе ваших просмотров: {item}',
    'similar-users': 'Пользователи с похожими интересами тоже смотрели ({users} польз.)',
    'bought-together': 'Часто покупают вместе с {item} (купили оба: {count})',
    'similar-item': 'Похоже на {item}',
    'similar-sessions': 'Смотрели в похожих сессиях (сессий: {sessions})',
  },
};

/** Fills `{key}` placeholders of the `code` message in `locale`. */
export function formatMessage(
  code: ReasonCode,
  locale: Locale,
  values: Record<string, string | number>,
): string {
  return MESSAGES[locale][code].replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`));
}
