import { Fieldset, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SHIPMENT_FIELDS, type Shipment, type ShipmentField } from '../../shared/api/types';
import type { FieldErrors } from '../../shared/ui/errors';

/** The server's field names for shipment errors (`shipment.consigneePhone`), shown under these inputs. */
export const SHIPMENT_ERROR_FIELDS = SHIPMENT_FIELDS.map((f) => `shipment.${f}`);

export type ShipmentForm = Record<ShipmentField, string>;

export const EMPTY_SHIPMENT: ShipmentForm = {
  trackingNumber: '',
  shipperName: '',
  shipperPhone: '',
  shipperEmail: '',
  consigneeName: '',
  consigneePhone: '',
  consigneeEmail: '',
};

export function shipmentForm(s: Shipment | null | undefined): ShipmentForm {
  const out = { ...EMPTY_SHIPMENT };
  if (s) for (const f of SHIPMENT_FIELDS) out[f] = s[f] ?? '';
  return out;
}

/** Only the filled-in fields, trimmed, for the API. */
export function shipmentPayload(f: ShipmentForm): Shipment {
  const out: Shipment = {};
  for (const k of SHIPMENT_FIELDS) {
    const v = f[k].trim();
    if (v) out[k] = v;
  }
  return out;
}

const TYPES: Partial<Record<ShipmentField, string>> = {
  shipperEmail: 'email',
  consigneeEmail: 'email',
  shipperPhone: 'tel',
  consigneePhone: 'tel',
};
const LTR = new Set<ShipmentField>(['trackingNumber', 'shipperPhone', 'shipperEmail', 'consigneePhone', 'consigneeEmail']);

export function ShipmentFields({
  value,
  onChange,
  errors,
  narrow = false,
  disabled = false,
}: {
  value: ShipmentForm;
  onChange: (field: ShipmentField, v: string) => void;
  errors: FieldErrors;
  narrow?: boolean;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Fieldset legend={t('shipment.title')} data-testid="shipment-details" disabled={disabled}>
      <SimpleGrid cols={narrow ? 1 : { base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
        {SHIPMENT_FIELDS.map((f) => (
          <TextInput
            key={f}
            label={t(`shipment.${f}`)}
            type={TYPES[f] ?? 'text'}
            value={value[f]}
            onChange={(e) => onChange(f, e.currentTarget.value)}
            error={errors[`shipment.${f}`]}
            classNames={LTR.has(f) ? { input: 'cd-ltr' } : undefined}
            style={f === 'trackingNumber' && !narrow ? { gridColumn: '1 / -1' } : undefined}
          />
        ))}
      </SimpleGrid>
    </Fieldset>
  );
}
