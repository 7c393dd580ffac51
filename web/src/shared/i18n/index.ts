import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ar from './ar.json';

export type AppLanguage = 'en' | 'ar';
export const LANGUAGES: AppLanguage[] = ['en', 'ar'];
const STORAGE_KEY = 'caredesk.language';

/** The language picked on the sign-in page (before we know the user). */
export function storedLanguage(): AppLanguage {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'ar' ? 'ar' : 'en';
  } catch {
    return 'en';
  }
}

export function storeLanguage(lng: AppLanguage): void {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // private mode: the choice just does not persist
  }
}

export function dirOf(lng: string): 'rtl' | 'ltr' {
  return lng === 'ar' ? 'rtl' : 'ltr';
}

function applyDocumentLanguage(lng: string): void {
  const html = document.documentElement;
  html.setAttribute('lang', lng);
  // Mantine's DirectionProvider observes this attribute and follows it.
  html.setAttribute('dir', dirOf(lng));
}

i18n.on('languageChanged', applyDocumentLanguage);

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ar: { translation: ar } },
  lng: storedLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyDocumentLanguage(i18n.language);

export function setLanguage(lng: AppLanguage): Promise<unknown> {
  return i18n.changeLanguage(lng);
}

export default i18n;
