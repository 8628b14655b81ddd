"""Discussions under content: proposal comments, group-thread replies (later event and poll talk).

One implementation for what every discussion does the same way — the columns of a post, posting
under the moderation policy, editing within the window (a waiting change under "strict"),
deleting with a recount, one level of replies, the edit form and page, and the moderation
kinds of a post and of its waiting change. The features keep their own tables and hand this
package what differs in a ``Discussion``: the models, the parent's association, the counts to
update and the messages. This package stands below the features and imports none of them.
"""
