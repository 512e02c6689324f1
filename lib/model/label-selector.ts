export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export type LabelSelectorRequirement = Readonly<{
  key: string;
  operator: LabelSelectorOperator;
  values?: readonly string[];
}>;

/** A metav1.LabelSelector: matchLabels and matchExpressions, ANDed. */
export type LabelSelector = Readonly<{
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: readonly LabelSelectorRequirement[];
}>;
