import type { ReasonCode } from '../../shared/api/types';
import { REASON_CODES_KEY, useReasonCodes } from '../tickets/reference';
import { AdminListEditor, type ListEditorConfig } from './AdminListEditor';

const REASON_CODES: ListEditorConfig = {
  endpoint: '/reason-codes',
  queryKey: REASON_CODES_KEY,
  fields: [
    { kind: 'id', name: 'code', label: 'admin.code' },
    { kind: 'name', name: 'nameEn', label: 'admin.nameEn', lang: 'en' },
    { kind: 'name', name: 'nameAr', label: 'admin.nameAr', lang: 'ar' },
    { kind: 'flag', name: 'active', label: 'admin.active', initial: true },
  ],
  testId: 'reason-codes-table',
  minWidth: 600,
  newTitle: 'admin.newReasonCode',
  editTitle: 'admin.editReasonCode',
};

export function ReasonCodesAdmin() {
  return <AdminListEditor<ReasonCode> config={REASON_CODES} query={useReasonCodes(true)} />;
}
