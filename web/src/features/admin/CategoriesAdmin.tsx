import type { Category } from '../../shared/api/types';
import { CATEGORIES_KEY, useCategories } from '../tickets/reference';
import { AdminListEditor, type ListEditorConfig } from './AdminListEditor';

const CATEGORIES: ListEditorConfig = {
  endpoint: '/categories',
  queryKey: CATEGORIES_KEY,
  fields: [
    { kind: 'id', name: 'key', label: 'admin.key', hint: 'admin.keyHint' },
    { kind: 'name', name: 'nameEn', label: 'admin.nameEn', lang: 'en' },
    { kind: 'name', name: 'nameAr', label: 'admin.nameAr', lang: 'ar' },
    { kind: 'flag', name: 'shipmentRelated', label: 'admin.shipmentRelated', hint: 'admin.shipmentRelatedHint', initial: false },
    { kind: 'flag', name: 'active', label: 'admin.active', initial: true },
  ],
  testId: 'categories-table',
  minWidth: 700,
  newTitle: 'admin.newCategory',
  editTitle: 'admin.editCategory',
};

export function CategoriesAdmin() {
  return <AdminListEditor<Category> config={CATEGORIES} query={useCategories(true)} />;
}
