import { Badge } from '@mantine/core';
import type { Tier } from '../../shared/api/types';
import { useLabels } from '../../shared/ui/labels';

const COLORS: Record<Tier, string> = { standard: 'gray', silver: 'cyan', gold: 'yellow', platinum: 'violet' };

export function TierBadge({ tier }: { tier: Tier }) {
  const l = useLabels();
  return (
    <Badge color={COLORS[tier] ?? 'gray'} variant="light">
      {l.tier(tier)}
    </Badge>
  );
}
