/* The admin's autocomplete fields are drawn by Select2: a combobox, a read-only textbox and
   search fields of its own, which the field's <label for="..."> does not reach, so screen
   readers announce them without a name. Each gets the name of the original <select>: its
   label, or the aria-label a table row's field carries (cluster_portal/admin_rows.py).

   Loaded with `defer` from admin/base_site.html, so it runs after autocomplete.js has defined
   djangoAdminSelect2 and before that plugin is applied (on DOM ready, and to each new inline
   row), and wraps it. */
'use strict';
{
    const $ = window.django && window.django.jQuery;

    function nameSource(select) {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
        if (label) {
            label.id = label.id || `${select.id}_label`;
            return label.id;
        }
        // A <select> hidden by Select2 still lends its aria-label to aria-labelledby.
        return select.getAttribute('aria-label') ? select.id : null;
    }

    function name(select) {
        const instance = $(select).data('select2');
        const source = nameSource(select);
        if (!instance || !source) {
            return;
        }
        const selection = instance.$container.find('.select2-selection');
        const rendered = selection.find('.select2-selection__rendered');
        if (selection.hasClass('select2-selection--single')) {
            // Name and current value together: "Leader organisation, University of ...".
            selection.attr('aria-labelledby', `${source} ${rendered.attr('id')}`);
            rendered.attr('aria-labelledby', source);
        } else {
            selection.attr('aria-labelledby', source);
        }
        instance.$container.add(instance.$dropdown)
            .find('.select2-search__field')
            .attr('aria-labelledby', source);
    }

    if ($ && $.fn.djangoAdminSelect2) {
        const djangoAdminSelect2 = $.fn.djangoAdminSelect2;
        $.fn.djangoAdminSelect2 = function() {
            const result = djangoAdminSelect2.apply(this, arguments);
            this.each((i, select) => name(select));
            return result;
        };
    }
}
