// Remembers the person's theme in a cookie, so the server renders the next page in it from the first paint.
export function rememberTheme(name, value) {
    const secure = location.protocol === 'https:' ? '; secure' : '';
    document.cookie = `${name}=${value}; path=/; max-age=31536000; samesite=lax${secure}`;
}
