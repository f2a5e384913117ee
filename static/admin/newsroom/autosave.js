'use strict';
// Autosave for the article form (articles/autosave.py): the text goes to the
// editor's own slot every 30 seconds while it changes, after a pause in
// typing, and when the page is left; the live article is untouched. The offer above the form puts it back.
// Leaving with unsaved changes asks first.
{
    const box = () => document.getElementById('autosave');
    const KEPT = ['title', 'body_format', 'body_source', 'excerpt'];
    const PAUSE_MS = 3000;

    function payload(form, extra = {}) {
        const data = new FormData();
        data.append('csrfmiddlewaretoken', form.querySelector('[name=csrfmiddlewaretoken]').value);
        data.append('article', box().dataset.article);
        for (const name of KEPT) {
            const field = form.elements[name];
            data.append(name, field ? field.value : '');
        }
        for (const [name, value] of Object.entries(extra)) {
            data.append(name, value);
        }
        return data;
    }

    function restore(form, fields) {
        for (const name of KEPT) {
            const field = form.elements[name];
            if (field && fields[name] !== undefined) {
                field.value = fields[name];
                field.dispatchEvent(new Event('change', {bubbles: true}));
            }
        }
        // The body editor (prose-editor.js) shows the restored text.
        form.elements.body_source.dispatchEvent(new CustomEvent('newsroom:replaced', {bubbles: true}));
    }

    document.addEventListener('DOMContentLoaded', () => {
        const settings = box();
        const form = settings && settings.closest('form');
        if (!form) {
            return;
        }
        const status = settings.querySelector('.autosave-status');
        let dirty = false;
        let sent = true;
        let submitting = false;
        let pause = null;
        const changed = () => {
            dirty = true;
            sent = false;
            clearTimeout(pause);
            pause = setTimeout(() => send(), PAUSE_MS);
        };
        form.addEventListener('input', changed);
        form.addEventListener('change', changed);
        form.addEventListener('submit', () => { submitting = true; });

        const send = async () => {
            if (sent || submitting) {
                return;
            }
            sent = true;
            const response = await fetch(settings.dataset.url, {method: 'POST', body: payload(form), credentials: 'same-origin'});
            if (response.ok) {
                status.textContent = `已自动保存（${(await response.json()).saved_at}），尚未保存到文章。`;
            }
        };
        setInterval(send, Number(settings.dataset.seconds) * 1000);
        window.addEventListener('pagehide', () => {
            if (!sent && !submitting) {
                navigator.sendBeacon(settings.dataset.url, payload(form));
            }
        });
        window.addEventListener('beforeunload', (event) => {
            if (dirty && !submitting) {
                event.preventDefault();
                event.returnValue = '';
            }
        });

        const offer = settings.querySelector('.autosave-offer');
        if (offer) {
            const query = new URLSearchParams({article: settings.dataset.article});
            offer.querySelector('.autosave-restore').addEventListener('click', async () => {
                const response = await fetch(`${settings.dataset.url}?${query}`, {credentials: 'same-origin'});
                const answer = await response.json();
                if (answer.fields) {
                    restore(form, answer.fields);
                    dirty = true;
                }
                offer.remove();
            });
            offer.querySelector('.autosave-discard').addEventListener('click', async () => {
                await fetch(settings.dataset.url, {method: 'POST', body: payload(form, {discard: '1'}), credentials: 'same-origin'});
                offer.remove();
            });
        }
    });
}
