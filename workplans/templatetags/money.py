"""{{ amount|baht }} 1,234.50 · {{ amount|baht_words }} หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"""

from django import template

from workplans import money

register = template.Library()
register.filter("baht", money.baht)
register.filter("baht_words", money.baht_words)
